-- Training reads every labeled item's label columns (training/load-labeled-items.ts): at 1M items / 100k labels a
-- parallel scan of the whole table (62k pages, ~280 ms server time, more under load). This index holds only labeled
-- items and carries the columns that read needs, so it becomes an index-only scan of ~100k small entries in id order.
-- Partial, so imports of unlabeled items never touch it; Prisma cannot declare partial indexes and its differ skips
-- them (`npm run db:migration -- --check` stays clean).
CREATE INDEX "item_labeled_idx" ON "item"("project_id", "id") INCLUDE ("content_hash", "label_class_ids", "label_origin", "split") WHERE "label_status" = 'labeled';
