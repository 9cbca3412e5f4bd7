-- AlterTable
ALTER TABLE "job_run" ADD COLUMN     "execution_id" UUID,
ADD COLUMN     "heartbeat_at" TIMESTAMP(3);
