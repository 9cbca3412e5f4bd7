-- CreateEnum
CREATE TYPE "ExampleKind" AS ENUM ('example', 'counter_example');

-- AlterTable
ALTER TABLE "annotation" ADD COLUMN     "guideline_revision" INTEGER;

-- AlterTable
ALTER TABLE "project" ADD COLUMN     "guideline_revision" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "instructions" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "class_example" (
    "id" SERIAL NOT NULL,
    "class_id" INTEGER NOT NULL,
    "kind" "ExampleKind" NOT NULL,
    "text" TEXT NOT NULL,
    "item_id" INTEGER,
    "note" TEXT NOT NULL DEFAULT '',
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "class_example_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "guideline_revision" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "revision" INTEGER NOT NULL,
    "instructions" TEXT NOT NULL,
    "classes" JSONB NOT NULL,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "guideline_revision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "class_example_class_id_created_at_idx" ON "class_example"("class_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "class_example_class_id_kind_item_id_key" ON "class_example"("class_id", "kind", "item_id");

-- CreateIndex
CREATE UNIQUE INDEX "guideline_revision_project_id_revision_key" ON "guideline_revision"("project_id", "revision");

-- AddForeignKey
ALTER TABLE "class_example" ADD CONSTRAINT "class_example_class_id_fkey" FOREIGN KEY ("class_id") REFERENCES "label_class"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "guideline_revision" ADD CONSTRAINT "guideline_revision_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
