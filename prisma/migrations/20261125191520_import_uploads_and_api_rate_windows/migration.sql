-- CreateTable
CREATE TABLE "import_upload" (
    "id" UUID NOT NULL,
    "project_id" INTEGER NOT NULL,
    "file_name" TEXT NOT NULL,
    "byte_size" BIGINT NOT NULL DEFAULT 0,
    "chunk_count" INTEGER NOT NULL DEFAULT 0,
    "completed_at" TIMESTAMP(3),
    "imported_at" TIMESTAMP(3),
    "result" JSONB,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "import_upload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_upload_chunk" (
    "upload_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "import_upload_chunk_pkey" PRIMARY KEY ("upload_id","seq")
);

-- CreateTable
CREATE TABLE "api_rate_window" (
    "api_key_id" INTEGER NOT NULL,
    "window_start" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "api_rate_window_pkey" PRIMARY KEY ("api_key_id","window_start")
);

-- CreateIndex
CREATE INDEX "import_upload_project_id_created_at_idx" ON "import_upload"("project_id", "created_at");

-- AddForeignKey
ALTER TABLE "import_upload" ADD CONSTRAINT "import_upload_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_upload_chunk" ADD CONSTRAINT "import_upload_chunk_upload_id_fkey" FOREIGN KEY ("upload_id") REFERENCES "import_upload"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_rate_window" ADD CONSTRAINT "api_rate_window_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE CASCADE ON UPDATE CASCADE;
