// The body of a GloVe encoding thread (see glove-encode-threads.ts): encodes texts on request with the same encoder
// the calling thread would use, built once per (cache folder, config).
import { parentPort } from "node:worker_threads";
import { GloveSentenceEncoder, type GloveEncoderConfig } from "@/ml/glove-sentence-encoder";
import { gloveEncoderKey } from "@/server/compute/glove-encode-threads";
import { gloveVectors } from "@/server/featurizers/glove-featurizer";

export type EncodeRequest =
  | { kind: "prepare"; id: number; cacheDir: string; config: GloveEncoderConfig }
  | { kind: "encode"; id: number; cacheDir: string; config: GloveEncoderConfig; texts: string[] };

export type EncodeReply =
  { id: number; ok: true; vectors: Float32Array | null } | { id: number; ok: false; message: string };

const encoders = new Map<string, GloveSentenceEncoder>();

function encoderFor(cacheDir: string, config: GloveEncoderConfig): GloveSentenceEncoder {
  const key = gloveEncoderKey(cacheDir, config);
  let encoder = encoders.get(key);
  if (!encoder) {
    // Loaded once per cache folder (memoized), however many configs the thread serves.
    const g = gloveVectors(cacheDir);
    encoder = new GloveSentenceEncoder(g.words, g.vectors, g.dim, config);
    encoders.set(key, encoder);
  }
  return encoder;
}

parentPort!.on("message", (request: EncodeRequest) => {
  try {
    const encoder = encoderFor(request.cacheDir, request.config);
    if (request.kind === "prepare") {
      parentPort!.postMessage({ id: request.id, ok: true, vectors: null } satisfies EncodeReply);
      return;
    }
    const vectors = encoder.encode(request.texts);
    parentPort!.postMessage({ id: request.id, ok: true, vectors } satisfies EncodeReply, [
      vectors.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    parentPort!.postMessage({
      id: request.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    } satisfies EncodeReply);
  }
});
