-- CreateTable
CREATE TABLE "vector_block" (
    "project_id" INTEGER NOT NULL,
    "featurizer_id" TEXT NOT NULL,
    "block_no" INTEGER NOT NULL,
    "dim" INTEGER NOT NULL,
    "item_ids" INTEGER[],
    "vectors" BYTEA NOT NULL,
    "built_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vector_block_pkey" PRIMARY KEY ("project_id","featurizer_id","block_no")
);

-- AddForeignKey
ALTER TABLE "vector_block" ADD CONSTRAINT "vector_block_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The vectors are incompressible floats: kept out of line without a compression attempt on every write.
ALTER TABLE "vector_block" ALTER COLUMN "vectors" SET STORAGE EXTERNAL;
