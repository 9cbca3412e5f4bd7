// A process that embeds a large batch with GloVe encoding threads on and then has nothing left to do: it must exit
// by itself (tests/unit/server/compute/glove-encode-threads.test.ts runs it).
import path from "node:path";
import { enableGloveEncodeThreads, readyGloveEncodeThreads } from "@/server/compute/glove-encode-threads";
import { createGloveFeaturizer, GLOVE_FEATURIZERS } from "@/server/featurizers/glove-featurizer";

const cacheDir = path.resolve(".margin/cache");
enableGloveEncodeThreads(2);
const featurizer = createGloveFeaturizer("glove-sif-200@1", cacheDir);
while (readyGloveEncodeThreads(cacheDir, GLOVE_FEATURIZERS["glove-sif-200@1"]) < 1)
  await new Promise((r) => setTimeout(r, 100));
const X = await featurizer.embed(Array.from({ length: 3000 }, (_, i) => `text number ${i} of a batch`));
console.log(`embedded ${X.length / featurizer.dim}`);
