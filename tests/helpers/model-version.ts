import { classifierToJSON } from "@/ml/classifier-artifact";
import { trainClassifier } from "@/ml/train-classifier";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";
import { DEFAULT_FEATURIZER_ID } from "@/server/featurizers/create-featurizer";

/** Trains a real classifier with the ML core on labeled texts and stores it as the project's active version. */
export async function makeActiveModelVersion(db: Db, projectId: number, examples: Record<string, string[]>) {
  const classes = Object.keys(examples);
  const texts = classes.flatMap((c) => examples[c]!);
  const y = Int32Array.from(classes.flatMap((c, k) => examples[c]!.map(() => k)));
  const featurizer = await getFeaturizer(DEFAULT_FEATURIZER_ID);
  const X = await featurizer.embed(texts);
  const { model } = trainClassifier(
    X,
    texts.length,
    featurizer.dim,
    classes,
    { task: "single-label", y },
    { featurizerId: featurizer.id, seed: 1 },
  );
  const version = await db.modelVersion.create({
    data: {
      projectId,
      number: 1 + (await db.modelVersion.count({ where: { projectId } })),
      featurizerId: featurizer.id,
      status: "ready",
      artifact: classifierToJSON(model) as unknown as Prisma.InputJsonValue,
      trainLabelCount: texts.length,
      finishedAt: new Date(),
    },
  });
  await db.project.update({ where: { id: projectId }, data: { activeModelVersionId: version.id } });
  return { version, model, featurizer };
}
