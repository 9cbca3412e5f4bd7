import { Worker } from "node:worker_threads";
import type { fitClassifier, FitResult } from "@/ml/fit-classifier";

type Reply = { id: number; ok: true; result: FitResult } | { id: number; ok: false; message: string; stack?: string };

// Threads that finished a fit wait here for the next one: starting a thread (loading TypeScript and the numeric
// code) costs about a second and a half, a third of the retrain budget. They hold nothing between fits.
const idle: Worker[] = [];
let nextId = 0;

function startThread(): Worker {
  // Resolved at run time (not a literal `new URL("./…")`) so that no bundler pulls the thread into a web build.
  const thread = new Worker(new URL(["fit-classifier-thread", "mjs"].join("."), import.meta.url));
  // A thread that dies while waiting must not be handed the next fit.
  thread.on("exit", () => {
    const at = idle.indexOf(thread);
    if (at >= 0) idle.splice(at, 1);
  });
  return thread;
}

/**
 * fitClassifier on a thread of its own, so the worker process's event loop stays free during a fit of seconds to
 * minutes: its other jobs keep reading and writing, pg-boss keeps polling and progress keeps being written. Same
 * function, same arguments, same result (the vectors are shared, not copied, when they live in shared memory).
 */
export function fitClassifierInThread(...args: Parameters<typeof fitClassifier>): Promise<FitResult> {
  const thread = idle.pop() ?? startThread();
  thread.ref();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (reply: Reply) => {
      if (reply.id !== id) return;
      cleanup();
      if (reply.ok) resolve(reply.result);
      else reject(Object.assign(new Error(reply.message), { stack: reply.stack }));
      // A fit's own error (bad input) leaves the thread healthy: it can take the next fit.
      thread.unref();
      idle.push(thread);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`the training thread stopped (exit code ${code}) before finishing the fit`));
    };
    const cleanup = () => {
      thread.off("message", onMessage);
      thread.off("error", onError);
      thread.off("exit", onExit);
    };
    thread.on("message", onMessage);
    thread.on("error", onError);
    thread.on("exit", onExit);
    thread.postMessage({ id, args });
  });
}
