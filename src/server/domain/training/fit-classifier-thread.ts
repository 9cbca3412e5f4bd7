// The body of the training threads (see fit-classifier-in-thread.ts): fits on request, one at a time.
import { parentPort } from "node:worker_threads";
import { fitClassifier } from "@/server/domain/training/fit-classifier";

type FitArgs = Parameters<typeof fitClassifier>;

parentPort!.on("message", ({ id, args }: { id: number; args: FitArgs }) => {
  try {
    parentPort!.postMessage({ id, ok: true, result: fitClassifier(...args) });
  } catch (error) {
    parentPort!.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
  }
});
