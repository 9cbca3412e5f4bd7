import { z } from "zod";
import type { ClassifierModel } from "@/ml/classifier-model";

export const CLASSIFIER_ARTIFACT_VERSION = 1;

/** Thrown for artifacts that are not Margin classifiers, have an unknown version or are inconsistent. */
export class ArtifactError extends Error {
  constructor(message: string, readonly code: "ARTIFACT_UNKNOWN_VERSION" | "ARTIFACT_INVALID") {
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
    throw new ArtifactError(`artifact field ${field}: ${buf.byteLength / 4} floats, expected ${expectedLength}`, "ARTIFACT_INVALID");
  }
  const out = new Float32Array(expectedLength);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

const artifactSchema = z.object({
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

export type ClassifierArtifact = z.infer<typeof artifactSchema>;

/** Versioned, JSON-safe form of a classifier (weights as base64 float32). */
export function classifierToJSON(m: ClassifierModel): ClassifierArtifact {
  return {
    format: "margin-classifier",
    version: CLASSIFIER_ARTIFACT_VERSION,
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
    metrics: JSON.parse(JSON.stringify(m.metrics, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v))) as Record<string, unknown>,
  };
}

export function classifierFromJSON(json: unknown): ClassifierModel {
  const obj = (typeof json === "string" ? JSON.parse(json) : json) as unknown;
  if (typeof obj !== "object" || obj === null || (obj as { format?: unknown }).format !== "margin-classifier") {
    throw new ArtifactError("not a Margin classifier artifact (format ≠ margin-classifier)", "ARTIFACT_INVALID");
  }
  const version = (obj as { version?: unknown }).version;
  if (version !== CLASSIFIER_ARTIFACT_VERSION) {
    throw new ArtifactError(`unsupported classifier artifact version ${String(version)} (this build reads version ${CLASSIFIER_ARTIFACT_VERSION})`, "ARTIFACT_UNKNOWN_VERSION");
  }
  const parsed = artifactSchema.safeParse(obj);
  if (!parsed.success) throw new ArtifactError(`invalid classifier artifact: ${parsed.error.message}`, "ARTIFACT_INVALID");
  const a = parsed.data;
  const K = a.classes.length;
  if (a.thresholds.length !== K) throw new ArtifactError(`artifact has ${a.thresholds.length} thresholds for ${K} classes`, "ARTIFACT_INVALID");
  return {
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
}
