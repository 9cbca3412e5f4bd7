import type { z } from "zod";

export interface JobDefinition<P extends z.ZodType = z.ZodType> {
  /** pg-boss queue name. */
  name: string;
  /** Bumped when the payload shape changes incompatibly; stored with every run. */
  version: number;
  payload: P;
  retryLimit: number;
  retryDelaySeconds: number;
  expireInSeconds: number;
  /** Human title for the jobs list. */
  title: string;
  /** Poll this queue at least this often (seconds, ≥ 0.5): for jobs someone is waiting on, like a retrain. */
  maxPollSeconds?: number;
  /**
   * Queues whose jobs this one's runs queue (a training queues the scoring, a score job its chunks): when a run ends,
   * the same worker's slots for those queues look for work at once instead of at their next poll.
   */
  feeds?: string[];
}

export function defineJob<P extends z.ZodType>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}

export type JobPayload<J extends JobDefinition> = z.infer<J["payload"]>;
