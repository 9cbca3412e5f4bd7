import type { FeatureRows } from "@/ml/feature-rows";
import { fitNgramVocabulary, ngramMatrix, type NgramVocabulary } from "@/ml/ngram-vocabulary";
import type { Featurizer } from "@/server/featurizers/featurizer";
import type { SingleLabelDataset } from "./datasets";

/**
 * A shared set's train and test splits as the default learner's [dense, n-gram] rows. The vocabulary's document
 * frequencies come from the train texts (a project's pool); the test texts are transformed with it.
 */
export async function hybridRows(
  ds: SingleLabelDataset,
  featurizer: Featurizer,
): Promise<{ vocab: NgramVocabulary; train: FeatureRows; test: FeatureRows }> {
  const vocab = fitNgramVocabulary({ dfTexts: ds.train.texts });
  const rows = async (texts: string[]): Promise<FeatureRows> => ({
    n: texts.length,
    dense: await featurizer.embed(texts),
    d: featurizer.dim,
    sparse: ngramMatrix(vocab, texts),
  });
  return { vocab, train: await rows(ds.train.texts), test: await rows(ds.test.texts) };
}
