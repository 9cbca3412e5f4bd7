-- CreateIndex
CREATE INDEX "item_project_id_id_idx" ON "item"("project_id", "id");

-- CreateIndex
CREATE INDEX "item_project_id_labeled_at_id_idx" ON "item"("project_id", "labeled_at", "id");

-- CreateIndex
CREATE INDEX "prediction_model_version_id_uncertainty_item_id_idx" ON "prediction"("model_version_id", "uncertainty", "item_id");
