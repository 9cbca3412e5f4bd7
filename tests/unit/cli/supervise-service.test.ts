import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { superviseService } from "@/cli/supervise-service";
import { waitFor } from "../../helpers/wait-for";

const node = (code: string) => spawn(process.execPath, ["-e", code], { stdio: "ignore" });

describe("superviseService (npm start's child processes)", () => {
  it("restarts a process that crashes, with a growing delay, until stop()", async () => {
    const lines: string[] = [];
    const service = superviseService({
      name: "worker",
      start: () => node("process.exit(3)"),
      log: (line) => lines.push(line),
      firstDelayMs: 20,
      maxDelayMs: 80,
    });
    await waitFor(
      async () => service.restarts,
      (n) => n >= 4,
      { timeoutMs: 30_000, intervalMs: 10 },
    );
    await service.stop();
    const restartsAtStop = service.restarts;
    expect(lines[0]).toBe("the worker stopped unexpectedly (exit 3); restarting it in 20 ms");
    // 20 ms, 40 ms, then capped at 80 ms.
    expect(lines.slice(0, 4).map((l) => l.match(/in (\d+ ms)$/)![1])).toEqual(["20 ms", "40 ms", "80 ms", "80 ms"]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(service.restarts).toBe(restartsAtStop);
  });

  it("restarts a process killed by a signal, and stop() ends the running one with SIGTERM without a restart", async () => {
    const lines: string[] = [];
    const service = superviseService({
      name: "web server",
      start: () => node("setInterval(() => {}, 1000)"),
      log: (line) => lines.push(line),
      firstDelayMs: 10,
    });
    const first = service.child;
    await waitFor(async () => first.pid, Boolean);
    first.kill("SIGKILL");
    await waitFor(
      async () => service.restarts,
      (n) => n === 1,
      { timeoutMs: 30_000, intervalMs: 10 },
    );
    expect(lines).toEqual(["the web server stopped unexpectedly (SIGKILL); restarting it in 10 ms"]);
    const second = service.child;
    expect(second).not.toBe(first);
    await service.stop();
    expect(second.signalCode).toBe("SIGTERM");
    expect(service.restarts).toBe(1);
    expect(lines).toHaveLength(1);
  });
});
