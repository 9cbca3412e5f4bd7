-- AlterTable
ALTER TABLE "project" ADD COLUMN     "session_goal" INTEGER;
