import type { ChildProcess } from "node:child_process";

export interface SupervisedService {
  /** The running process (a new one after each restart). */
  readonly child: ChildProcess;
  /** How many times it has been restarted. */
  readonly restarts: number;
  /** Stops it for good: no restart follows (SIGTERM, then SIGKILL after `killAfterMs`). */
  stop(): Promise<void>;
}

/**
 * Keeps one child process running for `npm start`: when it exits without having been asked to (a crash, an OOM
 * kill), it is started again after a delay that doubles from `firstDelayMs` up to `maxDelayMs`, and drops back to
 * the first delay once a process has stayed up for `stableMs`. Only `stop()` ends it, so a crashed web server or
 * worker never takes the rest of Margin down with it.
 */
export function superviseService(options: {
  name: string;
  start: () => ChildProcess;
  log: (line: string) => void;
  firstDelayMs?: number;
  maxDelayMs?: number;
  stableMs?: number;
  killAfterMs?: number;
}): SupervisedService {
  const first = options.firstDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 30_000;
  const stable = options.stableMs ?? 60_000;
  let stopping = false;
  let failures = 0;
  let restarts = 0;
  let timer: NodeJS.Timeout | undefined;
  let child: ChildProcess;

  const launch = () => {
    const startedAt = Date.now();
    child = options.start();
    child.once("exit", (code, signal) => {
      if (stopping) return;
      if (Date.now() - startedAt >= stable) failures = 0;
      const delay = Math.min(max, first * 2 ** failures);
      failures++;
      options.log(
        `the ${options.name} stopped unexpectedly (${signal ?? `exit ${code}`}); restarting it in ${delay < 1000 ? `${delay} ms` : `${delay / 1000} s`}`,
      );
      timer = setTimeout(() => {
        timer = undefined;
        if (stopping) return;
        restarts++;
        launch();
      }, delay);
    });
  };
  launch();

  return {
    get child() {
      return child;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await stopChild(child, options.killAfterMs ?? 15_000);
    },
  };
}

function stopChild(child: ChildProcess, killAfterMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
