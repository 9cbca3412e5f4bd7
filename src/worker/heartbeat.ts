import type { Db } from "@/server/db";
import { renewJobHeartbeat } from "@/server/domain/job-runs/renew-job-heartbeat";

export interface Heartbeat {
  /** True once a renewal found the run taken by another execution. */
  readonly lost: boolean;
  stop(): void;
}

/**
 * Renews a run's heartbeat every `everySeconds` while its handler runs. A renewal that fails because the database
 * is away is simply tried again at the next beat (the sweep's bound is several beats long); one that finds the run
 * no longer held by this execution marks it lost, and the handler stops at its next checkpoint.
 */
export function startHeartbeat(db: Db, jobRunId: string, executionId: string, everySeconds: number): Heartbeat {
  let lost = false;
  let inFlight = false;
  const timer = setInterval(() => {
    if (inFlight || lost) return;
    inFlight = true;
    renewJobHeartbeat(db, jobRunId, executionId)
      .then((held) => {
        if (!held) lost = true;
      })
      .catch(() => undefined)
      .finally(() => {
        inFlight = false;
      });
  }, everySeconds * 1000);
  timer.unref();
  return {
    get lost() {
      return lost;
    },
    stop() {
      clearInterval(timer);
    },
  };
}
