-- AlterTable
ALTER TABLE "annotation" ADD COLUMN     "adjudicated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "comment" TEXT;

-- CreateTable
CREATE TABLE "item_flag" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "item_id" INTEGER NOT NULL,
    "user_id" TEXT,
    "comment" TEXT NOT NULL,
    "resolved_at" TIMESTAMP(3),
    "resolved_by_id" TEXT,
    "resolution" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "item_flag_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "item_flag_project_id_resolved_at_created_at_idx" ON "item_flag"("project_id", "resolved_at", "created_at");

-- CreateIndex
CREATE INDEX "item_flag_item_id_idx" ON "item_flag"("item_id");

-- AddForeignKey
ALTER TABLE "item_flag" ADD CONSTRAINT "item_flag_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
