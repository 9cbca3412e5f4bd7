/**
 * A featurizer turns texts into fixed-size vectors. Its `id` names the exact function (model + preprocessing +
 * version): it is stored with every cached embedding and every model version, and vectors from different ids must
 * never be mixed. Any change that alters vectors must bump the id's version suffix.
 */
export interface Featurizer {
  readonly id: string;
  readonly dim: number;
  /** Embeds a batch; returns Float32Array [texts.length × dim] row-major. Empty input → empty array. */
  embed(texts: string[]): Promise<Float32Array>;
  /** Releases worker threads / sockets. Safe to call twice. */
  close(): Promise<void>;
}

export type FeaturizerErrorCode =
  | "FEATURIZER_UNKNOWN_ID"
  | "FEATURIZER_CONFIG"
  | "FEATURIZER_AUTH"
  | "FEATURIZER_UNREACHABLE"
  | "FEATURIZER_BAD_RESPONSE"
  | "FEATURIZER_FAILED";

/** Error with a stable code the server maps to AppError codes. */
export class FeaturizerError extends Error {
  constructor(
    readonly code: FeaturizerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "FeaturizerError";
  }
}
