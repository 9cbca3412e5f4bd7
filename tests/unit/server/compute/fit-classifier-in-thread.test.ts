import { describe, expect, it } from "vitest";
import { createRng } from "@/ml/rng";
import { fitClassifier } from "@/ml/fit-classifier";
import { fitClassifierInThread } from "@/server/compute/fit-classifier-in-thread";

const n = 3_000;
const d = 16;
const classes = ["a", "b", "c"];
const rng = createRng(5);
const X = new Float32Array(new SharedArrayBuffer(n * d * 4));
for (let i = 0; i < n * d; i++) X[i] = rng.next() * 2 - 1;
const y = Int32Array.from({ length: n }, (_, i) => (X[i * d]! > 0.3 ? 0 : X[i * d + 1]! > 0 ? 1 : 2));
const options = { featurizerId: "test@1", seed: 3 };

describe("a training fit on its own thread", () => {
  it("returns what the same fit returns inline, while the calling thread's event loop keeps running", async () => {
    let ticked = false;
    setTimeout(() => (ticked = true), 0);
    const threaded = await fitClassifierInThread(X, n, d, classes, { task: "single-label", y }, options);
    // An inline fit would hold the event loop until it returned; this one let the timer run meanwhile.
    expect(ticked).toBe(true);
    const inline = fitClassifier(X, n, d, classes, { task: "single-label", y }, options);
    expect(Array.from(threaded.model.weights)).toEqual(Array.from(inline.model.weights));
    expect(Array.from(threaded.model.bias)).toEqual(Array.from(inline.model.bias));
    expect(threaded.model.temperature).toBe(inline.model.temperature);
    expect(Array.from(threaded.oof!.proba)).toEqual(Array.from(inline.oof!.proba));
    expect(threaded.calibration).toEqual(inline.calibration);
  });

  it("rejects with the fit's own error", async () => {
    const bad = Int32Array.from(y, (v, i) => (i === 7 ? 9 : v));
    await expect(fitClassifierInThread(X, n, d, classes, { task: "single-label", y: bad }, options)).rejects.toThrow(
      /label index 9 out of range at row 7/,
    );
  });
});
