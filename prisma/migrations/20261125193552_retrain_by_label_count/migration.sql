/*
  Warnings:

  - You are about to drop the column `labels_since_train` on the `project` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "project" DROP COLUMN "labels_since_train",
ADD COLUMN     "train_queued_at" TIMESTAMP(3);
