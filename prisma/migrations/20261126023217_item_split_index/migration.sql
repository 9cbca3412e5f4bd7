-- CreateIndex
CREATE INDEX "item_project_id_split_idx" ON "item"("project_id", "split");
