import { z } from "zod";
import type { ClassifierModel } from "@/ml/classifier-model";
import { float16BitsToFloat32, float32ToFloat16Bits } from "@/ml/float16-bits";
import { vocabularyFromJSON, vocabularyToJSON } from "@/ml/ngram-vocabulary";

/** Version of dense-only artifacts (written unchanged, so older readers keep loading them). */
export const CLASSIFIER_ARTIFACT_VERSION = 1 as const;
/** Version of artifacts with an n-gram block (ClassifierModel.sparse). */
export const CLASSIFIER_ARTIFACT_VERSION_SPARSE = 2 as const;

/** Thrown for artifacts that are not Margin classifiers, have an unknown version or are inconsistent. */
export class ArtifactError extends Error {
  constructor(
    message: string,
    readonly code: "ARTIFACT_UNKNOWN_VERSION" | "ARTIFACT_INVALID",
  ) {
    super(message);
    this.name = "ArtifactError";
  }
}

/** Float32Array → base64 of its little-endian bytes (all supported platforms are little-endian). */
export function float32ToBase64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
}

export function base64ToFloat32(s: string, expectedLength: number, field: string): Float32Array {
  const buf = Buffer.from(s, "base64");
  if (buf.byteLength !== expectedLength * 4) {
    throw new ArtifactError(
      `artifact field ${field}: ${buf.byteLength / 4} floats, expected ${expectedLength}`,
      "ARTIFACT_INVALID",
    );
  }
  const out = new Float32Array(expectedLength);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

const baseSchema = z.object({
  format: z.literal("margin-classifier"),
  version: z.literal(CLASSIFIER_ARTIFACT_VERSION),
  task: z.enum(["single-label", "multi-label"]),
  featurizerId: z.string().min(1),
  classes: z.array(z.string()).min(1),
  dim: z.number().int().positive(),
  weights: z.string(),
  bias: z.string(),
  mean: z.string(),
  scale: z.string(),
  temperature: z.number().positive(),
  thresholds: z.array(z.number()),
  thresholdPolicy: z.union([
    z.object({ kind: z.literal("default") }),
    z.object({ kind: z.literal("target-precision"), target: z.number() }),
    z.object({ kind: z.literal("target-recall"), target: z.number() }),
  ]),
  metrics: z.record(z.string(), z.unknown()),
});

const sparseArtifactSchema = baseSchema.extend({
  version: z.literal(CLASSIFIER_ARTIFACT_VERSION_SPARSE),
  /** 0 for a sparse-only model. */
  dim: z.number().int().nonnegative(),
  sparse: z.object({
    /** NgramVocabularyJSON, checked by vocabularyFromJSON. */
    vocabulary: z.unknown(),
    blockWeight: z.number().positive(),
    /** float16: little-endian IEEE half floats (the trainer rounds to them, so a reload predicts bit for bit). */
    encoding: z.enum(["float32", "float16"]),
    /** [K × vocabulary.size] base64. */
    weights: z.string(),
  }),
});

const artifactSchema = z.union([baseSchema, sparseArtifactSchema]);

export type ClassifierArtifact = z.infer<typeof artifactSchema>;

/** True when every value is exactly representable as an IEEE half float (then it is stored as one, half the size). */
function isFloat16Exact(a: Float32Array): boolean {
  const back = float16BitsToFloat32(float32ToFloat16Bits(a));
  for (let i = 0; i < a.length; i++) if (!Object.is(back[i], a[i])) return false;
  return true;
}

/**
 * Versioned, JSON-safe form of a classifier (weights as base64 float32; the sparse block as float16 when its values
 * are exactly half floats). Version 1 without an n-gram block, version 2 with one.
 */
export function classifierToJSON(m: ClassifierModel): ClassifierArtifact {
  const base = {
    format: "margin-classifier" as const,
    version: CLASSIFIER_ARTIFACT_VERSION as typeof CLASSIFIER_ARTIFACT_VERSION,
    task: m.task,
    featurizerId: m.featurizerId,
    classes: [...m.classes],
    dim: m.dim,
    weights: float32ToBase64(m.weights),
    bias: float32ToBase64(m.bias),
    mean: float32ToBase64(m.mean),
    scale: float32ToBase64(m.scale),
    temperature: m.temperature,
    thresholds: Array.from(m.thresholds),
    thresholdPolicy: m.thresholdPolicy,
    metrics: JSON.parse(
      JSON.stringify(m.metrics, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v)),
    ) as Record<string, unknown>,
  };
  if (!m.sparse) return base;
  const half = isFloat16Exact(m.sparse.weights);
  const w = half ? float32ToFloat16Bits(m.sparse.weights) : m.sparse.weights;
  return {
    ...base,
    version: CLASSIFIER_ARTIFACT_VERSION_SPARSE,
    sparse: {
      vocabulary: vocabularyToJSON(m.sparse.vocabulary),
      blockWeight: m.sparse.blockWeight,
      encoding: half ? "float16" : "float32",
      weights: Buffer.from(w.buffer, w.byteOffset, w.byteLength).toString("base64"),
    },
  };
}

export function classifierFromJSON(json: unknown): ClassifierModel {
  const obj = (typeof json === "string" ? JSON.parse(json) : json) as unknown;
  if (typeof obj !== "object" || obj === null || (obj as { format?: unknown }).format !== "margin-classifier") {
    throw new ArtifactError("not a Margin classifier artifact (format ≠ margin-classifier)", "ARTIFACT_INVALID");
  }
  const version = (obj as { version?: unknown }).version;
  if (version !== CLASSIFIER_ARTIFACT_VERSION && version !== CLASSIFIER_ARTIFACT_VERSION_SPARSE) {
    throw new ArtifactError(
      `unsupported classifier artifact version ${String(version)} (this build reads versions ${CLASSIFIER_ARTIFACT_VERSION} and ${CLASSIFIER_ARTIFACT_VERSION_SPARSE})`,
      "ARTIFACT_UNKNOWN_VERSION",
    );
  }
  const parsed = artifactSchema.safeParse(obj);
  if (!parsed.success)
    throw new ArtifactError(`invalid classifier artifact: ${parsed.error.message}`, "ARTIFACT_INVALID");
  const a = parsed.data;
  const K = a.classes.length;
  if (a.thresholds.length !== K)
    throw new ArtifactError(`artifact has ${a.thresholds.length} thresholds for ${K} classes`, "ARTIFACT_INVALID");
  const model: ClassifierModel = {
    task: a.task,
    featurizerId: a.featurizerId,
    classes: a.classes,
    dim: a.dim,
    weights: base64ToFloat32(a.weights, K * a.dim, "weights"),
    bias: base64ToFloat32(a.bias, K, "bias"),
    mean: base64ToFloat32(a.mean, a.dim, "mean"),
    scale: base64ToFloat32(a.scale, a.dim, "scale"),
    temperature: a.temperature,
    thresholds: Float32Array.from(a.thresholds),
    thresholdPolicy: a.thresholdPolicy,
    metrics: a.metrics,
  };
  if (a.version === CLASSIFIER_ARTIFACT_VERSION_SPARSE) {
    let vocabulary;
    try {
      vocabulary = vocabularyFromJSON(a.sparse.vocabulary);
    } catch (e) {
      throw new ArtifactError(`artifact's n-gram vocabulary: ${(e as Error).message}`, "ARTIFACT_INVALID");
    }
    const count = K * vocabulary.size;
    let weights: Float32Array;
    if (a.sparse.encoding === "float32") {
      weights = base64ToFloat32(a.sparse.weights, count, "sparse.weights");
    } else {
      const buf = Buffer.from(a.sparse.weights, "base64");
      if (buf.byteLength !== count * 2) {
        throw new ArtifactError(
          `artifact field sparse.weights: ${buf.byteLength / 2} halves, expected ${count}`,
          "ARTIFACT_INVALID",
        );
      }
      const bits = new Uint16Array(count);
      new Uint8Array(bits.buffer).set(buf);
      weights = float16BitsToFloat32(bits);
    }
    model.sparse = { vocabulary, weights, blockWeight: a.sparse.blockWeight };
  }
  return model;
}
