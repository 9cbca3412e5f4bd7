import { selectDiverseBatch } from "@/ml/select-diverse-batch";
import type { Db } from "@/server/db";
import { embedTexts } from "@/server/domain/embeddings/embed-texts";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";

// The rule bench/results/ml.md measured ("margin+diversity"): the batch is what annotators label before the next
// retrain, picked from the 10 × batch most uncertain items, skipping any with cosine > 0.9 to one already picked.
const CANDIDATES_PER_PICK = 10;
const MAX_COSINE = 0.9;
const MIN_BATCH = 10;
const MAX_BATCH = 500;

/**
 * For the margin+diversity strategy: among the most uncertain unlabeled items, pick a batch of the project's
 * retrain interval with no near-duplicates and move it to the head of the queue, so annotators are not shown five
 * copies of the same confusing text in a row.
 */
export async function diversifyQueueHead(db: Db, modelVersionId: number) {
  const version = await db.modelVersion.findUniqueOrThrow({
    where: { id: modelVersionId },
    include: { project: { select: { retrainEvery: true } } },
  });
  const BATCH = Math.min(MAX_BATCH, Math.max(MIN_BATCH, version.project.retrainEvery));
  const CANDIDATES = CANDIDATES_PER_PICK * BATCH;
  const candidates = await db.$queryRaw<{ id: number; content_hash: string; text: string; priority: number }[]>`
    SELECT i.id, i.content_hash, i.text, p.priority FROM prediction p JOIN item i ON i.id = p.item_id
    WHERE p.model_version_id = ${modelVersionId} AND i.label_status = 'unlabeled' AND i.split <> 'test'
    ORDER BY p.priority DESC, i.id LIMIT ${CANDIDATES}`;
  if (candidates.length <= 1) return { moved: 0 };
  const featurizer = await getFeaturizer(version.featurizerId);
  const X = await embedTexts(
    db,
    featurizer,
    candidates.map((c) => ({ contentHash: c.content_hash, text: c.text })),
  );
  const chosen = selectDiverseBatch(X, candidates.length, featurizer.dim, Math.min(BATCH, candidates.length), {
    method: "dedupe",
    maxCosine: MAX_COSINE,
  });
  // Priorities live in [0, 1]; the diverse batch goes above them, in pick order. One statement for the batch: one
  // update per item was a round trip each (500 of them took ~3 s of a 1M pool's first scoring on a loaded machine).
  const itemIds = chosen.map((position) => candidates[position]!.id);
  const priorities = chosen.map((_, rank) => 2 - rank / chosen.length);
  await db.$executeRaw`
    UPDATE prediction p SET priority = b.priority
    FROM unnest(${itemIds}::int[], ${priorities}::float8[]) AS b(item_id, priority)
    WHERE p.model_version_id = ${modelVersionId} AND p.item_id = b.item_id`;
  return { moved: chosen.length };
}
