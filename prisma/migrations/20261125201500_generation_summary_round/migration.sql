-- AlterTable
ALTER TABLE "generation_summary" ADD COLUMN     "round" INTEGER NOT NULL DEFAULT 0;
