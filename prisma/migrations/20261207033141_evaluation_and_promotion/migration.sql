-- auto_activate becomes the three-way promotion setting: projects that had turned it off keep "never"; the others
-- get the new default, "when not worse" (a worse retrain no longer goes live by itself).
-- CreateEnum
CREATE TYPE "Promotion" AS ENUM ('always', 'when_not_worse', 'never');

-- AlterTable
ALTER TABLE "model_version" ADD COLUMN     "promotion_note" TEXT;

-- AlterTable
ALTER TABLE "project" ADD COLUMN     "min_labels_per_class" INTEGER NOT NULL DEFAULT 2,
ADD COLUMN     "promotion" "Promotion" NOT NULL DEFAULT 'when_not_worse',
ADD COLUMN     "second_look_min_f1" DOUBLE PRECISION NOT NULL DEFAULT 0.6,
ADD COLUMN     "test_boost_share" DOUBLE PRECISION NOT NULL DEFAULT 0.3,
ADD COLUMN     "test_target_items" INTEGER;

UPDATE "project" SET "promotion" = 'never' WHERE "auto_activate" = false;

ALTER TABLE "project" DROP COLUMN "auto_activate";

-- CreateTable
CREATE TABLE "model_evaluation" (
    "model_version_id" INTEGER NOT NULL,
    "test_set_key" TEXT NOT NULL,
    "n" INTEGER NOT NULL,
    "metrics" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_evaluation_pkey" PRIMARY KEY ("model_version_id","test_set_key")
);

-- AddForeignKey
ALTER TABLE "model_evaluation" ADD CONSTRAINT "model_evaluation_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_version"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Test membership is drawn when an item arrives (docs/evaluation.md): a seeded hash of (project, item) against the
-- project's test share, so which items measure a model never depends on which items a queue chose to show.
-- Labeled arrivals (imported labels are sampled stratified at training), generated items and imports whose file has
-- a split column (they set margin.keep_split, so a round trip keeps "unassigned") are left alone. Training trims a
-- reserved test split above its size by releasing unlabeled items.
CREATE FUNCTION margin_test_draw(project_id integer, item_id integer) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ('x' || substr(md5(item_id::text || ':' || project_id::text), 1, 8))::bit(32)::bigint / 4294967296.0 $$;

CREATE FUNCTION margin_item_test_draw() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.split = 'unassigned' AND NEW.label_status = 'unlabeled' AND NEW.source <> 'generated'
     AND current_setting('margin.keep_split', true) IS DISTINCT FROM 'on'
     AND margin_test_draw(NEW.project_id, NEW.id) < (SELECT test_share FROM project WHERE id = NEW.project_id) THEN
    NEW.split := 'test';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER item_test_draw BEFORE INSERT ON item FOR EACH ROW EXECUTE FUNCTION margin_item_test_draw();

-- Existing projects: unlabeled items not yet assigned get the same draw (they carry no label, so nothing a queue
-- chose moves into the test split); items already in a split keep it.
UPDATE item SET split = 'test'
FROM project p
WHERE p.id = item.project_id AND item.split = 'unassigned' AND item.label_status = 'unlabeled' AND item.source <> 'generated'
  AND margin_test_draw(item.project_id, item.id) < p.test_share;
