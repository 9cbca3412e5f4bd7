/**
 * What a long-running domain operation reports to whoever runs it (the worker's job context, a test, the CLI):
 * persisted log lines, progress, and checkpoints where a cancellation takes effect.
 */
export interface JobHooks {
  log(message: string, level?: "info" | "warn" | "error"): Promise<void>;
  progress(done: number, total?: number): Promise<void>;
  throwIfCancelled(): Promise<void>;
}
