import type { DbOrTx } from "@/server/db";
import { bytesFromFloat32 } from "@/server/domain/embeddings/vector-bytes";

export interface PredictionBatch {
  modelVersionId: number;
  projectId: number;
  K: number;
  itemIds: ArrayLike<number>;
  /** [n × K] probabilities, stored per row as little-endian float32 (see probability-bytes.ts). */
  proba: Float32Array;
  /** Per row, the predicted class ids ([] when none is on). */
  predicted: number[][];
  confidence: Float32Array;
  uncertainty: Float32Array;
  priority: Float32Array;
  /** Likely-mislabeled score per row, or a negative value for none. */
  mislabel: Float32Array;
}

/**
 * Writes a batch of predictions in one statement: columns travel as arrays (unnest) and the probabilities as one
 * bytea sliced per row in the database, instead of one bound value per cell. Insert-if-absent (ON CONFLICT DO
 * NOTHING on the (version, item) key), so a retried or duplicated chunk never scores an item twice.
 */
export async function insertPredictions(db: DbOrTx, batch: PredictionBatch): Promise<number> {
  const n = batch.itemIds.length;
  if (n === 0) return 0;
  const width = batch.K * 4;
  const bytes = bytesFromFloat32(batch.proba.subarray(0, n * batch.K));
  return db.$executeRaw`
    INSERT INTO prediction (model_version_id, item_id, project_id, probabilities, predicted_class_ids, confidence, uncertainty, priority, mislabel_score)
    SELECT ${batch.modelVersionId}, u.item_id, ${batch.projectId}, substring(${bytes}::bytea FROM (u.o::int - 1) * ${width} + 1 FOR ${width}),
           u.predicted::int[], u.confidence, u.uncertainty, u.priority, CASE WHEN u.mislabel < 0 THEN NULL ELSE u.mislabel END
    FROM unnest(${Array.from(batch.itemIds)}::int[], ${batch.predicted.map(classIdsLiteral)}::text[], ${Array.from(batch.confidence)}::real[],
                ${Array.from(batch.uncertainty)}::real[], ${Array.from(batch.priority)}::real[], ${Array.from(batch.mislabel)}::real[])
         WITH ORDINALITY AS u(item_id, predicted, confidence, uncertainty, priority, mislabel, o)
    ON CONFLICT DO NOTHING`;
}

/** Class ids as a PostgreSQL array literal ("{3}", "{1,4}", "{}"): the whole column then travels as one text[]. */
export function classIdsLiteral(ids: number[]): string {
  return `{${ids.join(",")}}`;
}
