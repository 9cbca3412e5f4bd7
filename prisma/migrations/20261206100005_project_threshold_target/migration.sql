-- CreateEnum
CREATE TYPE "ThresholdMetric" AS ENUM ('precision', 'recall');

-- AlterTable
ALTER TABLE "project" ADD COLUMN     "threshold_metric" "ThresholdMetric",
ADD COLUMN     "threshold_target" DOUBLE PRECISION;
