-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'annotator');

-- CreateEnum
CREATE TYPE "TaskType" AS ENUM ('binary', 'multiclass', 'multilabel');

-- CreateEnum
CREATE TYPE "Strategy" AS ENUM ('margin', 'least_confidence', 'entropy', 'margin_diversity', 'random');

-- CreateEnum
CREATE TYPE "ItemSource" AS ENUM ('imported', 'generated', 'manual');

-- CreateEnum
CREATE TYPE "Split" AS ENUM ('unassigned', 'train', 'test');

-- CreateEnum
CREATE TYPE "LabelStatus" AS ENUM ('unlabeled', 'labeled', 'skipped');

-- CreateEnum
CREATE TYPE "AnnotationOrigin" AS ENUM ('human', 'generated', 'imported', 'model_accepted');

-- CreateEnum
CREATE TYPE "ModelKind" AS ENUM ('logistic_regression', 'llm_zero_shot');

-- CreateEnum
CREATE TYPE "ModelStatus" AS ENUM ('training', 'ready', 'failed', 'archived');

-- CreateEnum
CREATE TYPE "JobState" AS ENUM ('queued', 'running', 'completed', 'failed', 'cancelled');

-- CreateTable
CREATE TABLE "user" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "email_verified" BOOLEAN NOT NULL DEFAULT false,
    "image" TEXT,
    "role" "Role" NOT NULL DEFAULT 'annotator',
    "disabled_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "ip_address" TEXT,
    "user_agent" TEXT,
    "user_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "provider_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "access_token" TEXT,
    "refresh_token" TEXT,
    "id_token" TEXT,
    "access_token_expires_at" TIMESTAMP(3),
    "refresh_token_expires_at" TIMESTAMP(3),
    "scope" TEXT,
    "password" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verification" (
    "id" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "verification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "project" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "task_type" "TaskType" NOT NULL DEFAULT 'multiclass',
    "featurizer_id" TEXT NOT NULL,
    "strategy" "Strategy" NOT NULL DEFAULT 'margin',
    "retrain_every" INTEGER NOT NULL DEFAULT 20,
    "test_share" DOUBLE PRECISION NOT NULL DEFAULT 0.2,
    "test_max_items" INTEGER NOT NULL DEFAULT 500,
    "include_generated" BOOLEAN NOT NULL DEFAULT true,
    "queue_mislabeled_share" DOUBLE PRECISION NOT NULL DEFAULT 0.1,
    "queue_random_share" DOUBLE PRECISION NOT NULL DEFAULT 0.1,
    "annotation_overlap" INTEGER NOT NULL DEFAULT 1,
    "lease_seconds" INTEGER NOT NULL DEFAULT 600,
    "llm_settings" JSONB,
    "prompt_templates" JSONB,
    "active_model_version_id" INTEGER,
    "stats" JSONB,
    "stats_updated_at" TIMESTAMP(3),
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "label_class" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "hotkey" TEXT,
    "color" TEXT NOT NULL DEFAULT '#6366f1',
    "position" INTEGER NOT NULL DEFAULT 0,
    "archived_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "label_class_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "item" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "external_id" TEXT,
    "metadata" JSONB,
    "source" "ItemSource" NOT NULL DEFAULT 'imported',
    "split" "Split" NOT NULL DEFAULT 'unassigned',
    "label_status" "LabelStatus" NOT NULL DEFAULT 'unlabeled',
    "label_class_ids" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "label_origin" "AnnotationOrigin",
    "labeled_at" TIMESTAMP(3),
    "generation_run_id" INTEGER,
    "provenance" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "annotation" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "item_id" INTEGER NOT NULL,
    "class_ids" INTEGER[],
    "skipped" BOOLEAN NOT NULL DEFAULT false,
    "skip_reason" TEXT,
    "origin" "AnnotationOrigin" NOT NULL,
    "user_id" TEXT,
    "model_version_id" INTEGER,
    "accepted_prediction" BOOLEAN NOT NULL DEFAULT false,
    "duration_ms" INTEGER,
    "supersedes_id" INTEGER,
    "undone_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "annotation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "queue_lease" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "item_id" INTEGER NOT NULL,
    "user_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "queue_lease_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "embedding_cache" (
    "featurizer_id" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "dim" INTEGER NOT NULL,
    "vector" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "embedding_cache_pkey" PRIMARY KEY ("featurizer_id","content_hash")
);

-- CreateTable
CREATE TABLE "model_version" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "kind" "ModelKind" NOT NULL DEFAULT 'logistic_regression',
    "featurizer_id" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "metrics" JSONB,
    "artifact" JSONB,
    "status" "ModelStatus" NOT NULL DEFAULT 'training',
    "error" TEXT,
    "parent_id" INTEGER,
    "train_label_count" INTEGER NOT NULL DEFAULT 0,
    "test_label_count" INTEGER NOT NULL DEFAULT 0,
    "created_by_id" TEXT,
    "job_run_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "model_version_pkey" PRIMARY KEY ("id")
);

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
);

-- CreateTable
CREATE TABLE "job_run" (
    "id" UUID NOT NULL,
    "project_id" INTEGER,
    "type" TEXT NOT NULL,
    "state" "JobState" NOT NULL DEFAULT 'queued',
    "payload" JSONB NOT NULL DEFAULT '{}',
    "result" JSONB,
    "error" TEXT,
    "progress" REAL NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "cancel_requested_at" TIMESTAMP(3),
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_log" (
    "id" BIGSERIAL NOT NULL,
    "job_run_id" UUID NOT NULL,
    "level" TEXT NOT NULL DEFAULT 'info',
    "message" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "job_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "generation_run" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "job_run_id" UUID,
    "model" TEXT NOT NULL,
    "template_version" TEXT NOT NULL,
    "seed" INTEGER NOT NULL,
    "target_per_class" INTEGER NOT NULL,
    "class_ids" INTEGER[],
    "counts" JSONB NOT NULL DEFAULT '{}',
    "request_count" INTEGER NOT NULL DEFAULT 0,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" DOUBLE PRECISION,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "generation_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "generation_summary" (
    "id" SERIAL NOT NULL,
    "run_id" INTEGER NOT NULL,
    "class_id" INTEGER NOT NULL,
    "phase" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "item_id" INTEGER,
    "dropped" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "generation_summary_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "llm_cache" (
    "key" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "llm_cache_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "project_id" INTEGER,
    "user_id" TEXT,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "data" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "user_email_key" ON "user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "session_token_key" ON "session"("token");

-- CreateIndex
CREATE INDEX "session_user_id_idx" ON "session"("user_id");

-- CreateIndex
CREATE INDEX "account_user_id_idx" ON "account"("user_id");

-- CreateIndex
CREATE INDEX "verification_identifier_idx" ON "verification"("identifier");

-- CreateIndex
CREATE UNIQUE INDEX "project_name_key" ON "project"("name");

-- CreateIndex
CREATE UNIQUE INDEX "project_active_model_version_id_key" ON "project"("active_model_version_id");

-- CreateIndex
CREATE INDEX "label_class_project_id_position_idx" ON "label_class"("project_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "label_class_project_id_name_key" ON "label_class"("project_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "label_class_project_id_hotkey_key" ON "label_class"("project_id", "hotkey");

-- CreateIndex
CREATE INDEX "item_project_id_label_status_split_idx" ON "item"("project_id", "label_status", "split");

-- CreateIndex
CREATE INDEX "item_project_id_source_idx" ON "item"("project_id", "source");

-- CreateIndex
CREATE INDEX "item_project_id_created_at_idx" ON "item"("project_id", "created_at");

-- CreateIndex
CREATE INDEX "item_label_class_ids_idx" ON "item" USING GIN ("label_class_ids");

-- CreateIndex
CREATE UNIQUE INDEX "item_project_id_content_hash_key" ON "item"("project_id", "content_hash");

-- CreateIndex
CREATE UNIQUE INDEX "item_project_id_external_id_key" ON "item"("project_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "annotation_supersedes_id_key" ON "annotation"("supersedes_id");

-- CreateIndex
CREATE INDEX "annotation_item_id_created_at_idx" ON "annotation"("item_id", "created_at");

-- CreateIndex
CREATE INDEX "annotation_project_id_user_id_created_at_idx" ON "annotation"("project_id", "user_id", "created_at");

-- CreateIndex
CREATE INDEX "annotation_project_id_origin_created_at_idx" ON "annotation"("project_id", "origin", "created_at");

-- CreateIndex
CREATE INDEX "queue_lease_project_id_expires_at_idx" ON "queue_lease"("project_id", "expires_at");

-- CreateIndex
CREATE INDEX "queue_lease_user_id_expires_at_idx" ON "queue_lease"("user_id", "expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "queue_lease_item_id_user_id_key" ON "queue_lease"("item_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "model_version_job_run_id_key" ON "model_version"("job_run_id");

-- CreateIndex
CREATE INDEX "model_version_project_id_created_at_idx" ON "model_version"("project_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "model_version_project_id_number_key" ON "model_version"("project_id", "number");

-- CreateIndex
CREATE INDEX "prediction_model_version_id_priority_idx" ON "prediction"("model_version_id", "priority" DESC);

-- CreateIndex
CREATE INDEX "prediction_model_version_id_mislabel_score_idx" ON "prediction"("model_version_id", "mislabel_score" DESC);

-- CreateIndex
CREATE INDEX "prediction_item_id_idx" ON "prediction"("item_id");

-- CreateIndex
CREATE INDEX "job_run_project_id_created_at_idx" ON "job_run"("project_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "job_run_state_created_at_idx" ON "job_run"("state", "created_at");

-- CreateIndex
CREATE INDEX "job_log_job_run_id_id_idx" ON "job_log"("job_run_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "generation_run_job_run_id_key" ON "generation_run"("job_run_id");

-- CreateIndex
CREATE INDEX "generation_run_project_id_created_at_idx" ON "generation_run"("project_id", "created_at");

-- CreateIndex
CREATE INDEX "generation_summary_run_id_class_id_item_id_idx" ON "generation_summary"("run_id", "class_id", "item_id");

-- CreateIndex
CREATE UNIQUE INDEX "generation_summary_run_id_class_id_text_key" ON "generation_summary"("run_id", "class_id", "text");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_hash_key" ON "api_key"("hash");

-- CreateIndex
CREATE INDEX "api_key_project_id_idx" ON "api_key"("project_id");

-- CreateIndex
CREATE INDEX "audit_log_project_id_created_at_idx" ON "audit_log"("project_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "audit_log_entity_type_entity_id_idx" ON "audit_log"("entity_type", "entity_id");

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account" ADD CONSTRAINT "account_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project" ADD CONSTRAINT "project_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project" ADD CONSTRAINT "project_active_model_version_id_fkey" FOREIGN KEY ("active_model_version_id") REFERENCES "model_version"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "label_class" ADD CONSTRAINT "label_class_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "item" ADD CONSTRAINT "item_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "item" ADD CONSTRAINT "item_generation_run_id_fkey" FOREIGN KEY ("generation_run_id") REFERENCES "generation_run"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "annotation" ADD CONSTRAINT "annotation_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "annotation" ADD CONSTRAINT "annotation_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "item"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "annotation" ADD CONSTRAINT "annotation_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "annotation" ADD CONSTRAINT "annotation_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_version"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "annotation" ADD CONSTRAINT "annotation_supersedes_id_fkey" FOREIGN KEY ("supersedes_id") REFERENCES "annotation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "queue_lease" ADD CONSTRAINT "queue_lease_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "queue_lease" ADD CONSTRAINT "queue_lease_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "item"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "queue_lease" ADD CONSTRAINT "queue_lease_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_version" ADD CONSTRAINT "model_version_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_version" ADD CONSTRAINT "model_version_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "model_version"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_version" ADD CONSTRAINT "model_version_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prediction" ADD CONSTRAINT "prediction_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_version"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prediction" ADD CONSTRAINT "prediction_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "item"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prediction" ADD CONSTRAINT "prediction_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_run" ADD CONSTRAINT "job_run_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_run" ADD CONSTRAINT "job_run_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_log" ADD CONSTRAINT "job_log_job_run_id_fkey" FOREIGN KEY ("job_run_id") REFERENCES "job_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generation_run" ADD CONSTRAINT "generation_run_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generation_run" ADD CONSTRAINT "generation_run_job_run_id_fkey" FOREIGN KEY ("job_run_id") REFERENCES "job_run"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generation_summary" ADD CONSTRAINT "generation_summary_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "generation_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
