/**
 * A progress callback that writes at most once per `everyMs` and skips the calls in between. Readers poll a run's
 * progress every second or so, and each write is a database round trip: a training reading 245 vector blocks or a
 * score chunk writing 12 blocks wrote one per block, on the path the job waits on. The run's completion records its
 * final count anyway (worker/run-job.ts).
 */
export function throttledProgress(
  progress: (done: number) => Promise<void>,
  everyMs = 1000,
): (done: number) => Promise<void> {
  let last = -Infinity;
  return async (done) => {
    const now = performance.now();
    if (now - last < everyMs) return;
    last = now;
    await progress(done);
  };
}
