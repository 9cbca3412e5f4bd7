-- CreateTable
CREATE TABLE "project_member" (
    "project_id" INTEGER NOT NULL,
    "user_id" TEXT NOT NULL,
    "added_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "project_member_pkey" PRIMARY KEY ("project_id","user_id")
);

-- CreateIndex
CREATE INDEX "project_member_user_id_idx" ON "project_member"("user_id");

-- AddForeignKey
ALTER TABLE "project_member" ADD CONSTRAINT "project_member_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project_member" ADD CONSTRAINT "project_member_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Installations keep working: every annotator that exists now becomes a member of every project that exists now
-- (before this table, every annotator saw every project). Admins need no rows.
INSERT INTO "project_member" ("project_id", "user_id")
SELECT p."id", u."id" FROM "project" p CROSS JOIN "user" u WHERE u."role" = 'annotator';
