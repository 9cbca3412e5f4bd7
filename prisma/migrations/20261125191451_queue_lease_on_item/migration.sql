/*
  Warnings:

  - You are about to drop the `queue_lease` table. If the table is not empty, all the data it contains will be lost.

*/
-- DropForeignKey
ALTER TABLE "queue_lease" DROP CONSTRAINT "queue_lease_item_id_fkey";

-- DropForeignKey
ALTER TABLE "queue_lease" DROP CONSTRAINT "queue_lease_project_id_fkey";

-- DropForeignKey
ALTER TABLE "queue_lease" DROP CONSTRAINT "queue_lease_user_id_fkey";

-- DropIndex
DROP INDEX "item_project_id_label_status_split_idx";

-- AlterTable
ALTER TABLE "item" ADD COLUMN     "lease_expires_at" TIMESTAMP(3),
ADD COLUMN     "lease_reason" TEXT,
ADD COLUMN     "leased_by_id" TEXT;

-- AlterTable
ALTER TABLE "project" ADD COLUMN     "auto_activate" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "labels_since_train" INTEGER NOT NULL DEFAULT 0;

-- DropTable
DROP TABLE "queue_lease";

-- CreateIndex
CREATE INDEX "item_project_id_label_status_split_id_idx" ON "item"("project_id", "label_status", "split", "id");

-- CreateIndex
CREATE INDEX "item_leased_by_id_lease_expires_at_idx" ON "item"("leased_by_id", "lease_expires_at");

-- AddForeignKey
ALTER TABLE "item" ADD CONSTRAINT "item_leased_by_id_fkey" FOREIGN KEY ("leased_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
