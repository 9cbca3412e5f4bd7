import path from "node:path";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { loadSingleLabel, type SingleLabelDataset, type SingleLabelName } from "./datasets";
import type { Pool } from "./simulate-production-queue";

/**
 * A shared single-label set as the AL simulation's pool (train split) and test split, with their GloVe-SIF vectors
 * (the dense block of the default learner; embeddings cached under .margin/cache).
 */
export async function singleLabelPools(
  name: SingleLabelName,
): Promise<{ ds: SingleLabelDataset; d: number; pool: Pool; test: Pool }> {
  const ds = loadSingleLabel(name);
  const f = await createFeaturizer("glove-sif-200@1", { cacheDir: path.resolve(".margin/cache") });
  try {
    const split = async (s: SingleLabelDataset["train"]): Promise<Pool> => ({
      texts: s.texts,
      targets: { task: "single-label", y: s.y },
      X: await f.embed(s.texts),
    });
    return { ds, d: f.dim, pool: await split(ds.train), test: await split(ds.test) };
  } finally {
    await f.close();
  }
}
