import type { Progress } from "@/cli/margin/progress";
import type { Featurizer } from "@/server/featurizers/featurizer";

// Small enough that a bar moves every second or so on a slow featurizer, large enough not to cost anything.
const BATCH = 2_000;

/** featurizer.embed in batches, reporting texts done: [texts.length × dim] row-major, as one call would return. */
export async function embedWithProgress(
  featurizer: Featurizer,
  texts: string[],
  progress: Progress,
  label = "embedding",
): Promise<Float32Array> {
  if (texts.length <= BATCH) {
    progress.update(label, 0, texts.length, "texts");
    const X = await featurizer.embed(texts);
    progress.update(label, texts.length, texts.length, "texts");
    return X;
  }
  const X = new Float32Array(texts.length * featurizer.dim);
  for (let start = 0; start < texts.length; start += BATCH) {
    progress.update(label, start, texts.length, "texts");
    const part = await featurizer.embed(texts.slice(start, start + BATCH));
    X.set(part, start * featurizer.dim);
  }
  progress.update(label, texts.length, texts.length, "texts");
  return X;
}
