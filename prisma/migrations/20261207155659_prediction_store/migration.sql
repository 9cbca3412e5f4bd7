-- Predictions become LIST-partitioned by model version (docs/decisions/prediction-store.md). A full scoring loads
-- a fresh table without indexes, indexes it once and attaches it as the version's partition in one transaction
-- (src/server/domain/scoring/prediction-partition.ts). The foreign keys go: their per-row checks were half the cost
-- of writing a prediction, and the item and project cascades would have to visit every partition; deleting a
-- project drops its versions' partitions instead. The item_id index served only the item cascade. Within a
-- version's partition the version column is constant, so the indexes leave it out; the mislabel index is partial
-- and per partition.

-- AlterTable
ALTER TABLE "model_version" ADD COLUMN     "ranked_at" TIMESTAMP(3);

ALTER TABLE "prediction" RENAME TO "prediction_unpartitioned";
ALTER TABLE "prediction_unpartitioned" RENAME CONSTRAINT "prediction_pkey" TO "prediction_unpartitioned_pkey";
ALTER INDEX "prediction_model_version_id_priority_idx" RENAME TO "prediction_unpartitioned_priority_idx";
ALTER INDEX "prediction_model_version_id_mislabel_score_idx" RENAME TO "prediction_unpartitioned_mislabel_idx";
ALTER INDEX "prediction_model_version_id_uncertainty_item_id_idx" RENAME TO "prediction_unpartitioned_uncertainty_idx";

-- CreateTable
CREATE TABLE "prediction" (
    "model_version_id" INTEGER NOT NULL,
    "item_id" INTEGER NOT NULL,
    "project_id" INTEGER NOT NULL,
    "probabilities" BYTEA NOT NULL,
    "predicted_class_ids" INTEGER[],
    "confidence" REAL NOT NULL,
    "uncertainty" REAL NOT NULL,
    "priority" REAL NOT NULL,
    "mislabel_score" REAL,

    CONSTRAINT "prediction_pkey" PRIMARY KEY ("model_version_id","item_id")
) PARTITION BY LIST ("model_version_id");

-- CreateIndex
CREATE INDEX "prediction_priority_idx" ON "prediction"("priority" DESC);

-- CreateIndex
CREATE INDEX "prediction_uncertainty_item_id_idx" ON "prediction"("uncertainty", "item_id");

-- CreateTable
CREATE TABLE "prediction_load_block" (
    "model_version_id" INTEGER NOT NULL,
    "from_id" INTEGER NOT NULL,
    "rows" INTEGER NOT NULL,

    CONSTRAINT "prediction_load_block_pkey" PRIMARY KEY ("model_version_id","from_id")
);

-- AddForeignKey
ALTER TABLE "prediction_load_block" ADD CONSTRAINT "prediction_load_block_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_version"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing predictions move to one partition per version (named as the scorer names them).
DO $$
DECLARE v integer;
BEGIN
  FOR v IN SELECT DISTINCT model_version_id FROM prediction_unpartitioned ORDER BY 1 LOOP
    EXECUTE format('CREATE TABLE %I (LIKE prediction INCLUDING DEFAULTS)', 'prediction_v' || v);
    EXECUTE format('INSERT INTO %I SELECT * FROM prediction_unpartitioned WHERE model_version_id = %s', 'prediction_v' || v, v);
    EXECUTE format('CREATE INDEX %I ON %I (mislabel_score DESC) WHERE mislabel_score IS NOT NULL', 'prediction_v' || v || '_mislabel_idx', 'prediction_v' || v);
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (model_version_id = %s)', 'prediction_v' || v, 'prediction_v' || v || '_version', v);
    EXECUTE format('ALTER TABLE prediction ATTACH PARTITION %I FOR VALUES IN (%s)', 'prediction_v' || v, v);
  END LOOP;
  UPDATE model_version SET ranked_at = coalesce(finished_at, created_at)
    WHERE id IN (SELECT DISTINCT model_version_id FROM prediction_unpartitioned);
END $$;

DROP TABLE "prediction_unpartitioned";
