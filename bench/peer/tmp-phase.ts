import os from "node:os";
import { createLogisticWasm, logisticWasmContext } from "@/ml/wasm-logistic-kernel";
import { blobs } from "./peer-data";
for (const { n, d, K } of [{ n: 10_000, d: 200, K: 77 }, { n: 100_000, d: 384, K: 10 }]) {
  const { X } = blobs(n, d, K, 7, 0.4);
  const w = createLogisticWasm(X, n, d, K, 1)!;
  const c = logisticWasmContext(w);
  const { dp, kp, tile } = c.layout;
  for (let i = 0; i < kp * dp; i++) c.mem[c.layout.w / 8 + i] = Math.sin(i) * 0.01;
  const xsAt = c.layout.scratch, zAt = xsAt + tile * dp * 8;
  const best = [Infinity, Infinity, Infinity, Infinity];
  for (let r = 0; r < 8; r++) {
    let t = performance.now();
    for (let i0 = 0; i0 < n; i0 += tile) c.widen(c.layout.x + i0 * dp * 4, xsAt, Math.min(tile, n - i0) * dp);
    best[0] = Math.min(best[0]!, performance.now() - t);
    t = performance.now();
    for (let i0 = 0; i0 < n; i0 += tile) c.forward(xsAt, Math.min(tile, n - i0), dp, d, c.layout.w, c.layout.b, kp, zAt);
    best[1] = Math.min(best[1]!, performance.now() - t);
    t = performance.now();
    for (let i0 = 0; i0 < n; i0 += tile) c.backward(xsAt, Math.min(tile, n - i0), dp, zAt, kp, c.layout.g, 0);
    best[2] = Math.min(best[2]!, performance.now() - t);
    t = performance.now();
    let s = 0;
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) s += Math.exp(c.mem[zAt / 8 + (i % tile) * kp + k]! - 1);
    best[3] = Math.min(best[3]!, performance.now() - t);
  }
  const flops = n * d * K;
  console.log(`${n}x${d}x${K}: widen ${best[0]!.toFixed(1)} forward ${best[1]!.toFixed(1)} (${(flops / best[1]! / 1e6).toFixed(2)} G madd/s) backward ${best[2]!.toFixed(1)} (${(flops / best[2]! / 1e6).toFixed(2)} G/s) exp-loop ${best[3]!.toFixed(1)} ms; load ${os.loadavg()[0]!.toFixed(1)}`);
}
