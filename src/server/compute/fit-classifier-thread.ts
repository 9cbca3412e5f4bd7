// The body of the training threads (see fit-classifier-in-thread.ts): fits on request, one at a time.
import { parentPort } from "node:worker_threads";
import { fitClassifier } from "@/ml/fit-classifier";
import { trainingParallelism } from "@/server/compute/parallel-logistic-blocks";

type FitArgs = Parameters<typeof fitClassifier>;

parentPort!.on("message", ({ id, args }: { id: number; args: FitArgs }) => {
  try {
    parentPort!.postMessage({ id, ok: true, result: fitClassifier(...withParallelism(args)) });
  } catch (error) {
    parentPort!.postMessage({
      id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
  }
});

// A function cannot cross postMessage: the helper threads of a large fit are chosen here, on the training thread.
function withParallelism([X, n, d, classes, targets, options]: FitArgs): FitArgs {
  return [X, n, d, classes, targets, { ...options, parallelism: trainingParallelism }];
}
