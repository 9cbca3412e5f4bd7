import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";

/** The items table's filters, shared by the page query and its count (the same rows, counted the same way). */
export const itemFilterShape = z.object({
  projectId: z.number().int().positive(),
  /** Case-insensitive substring of the text. */
  search: z.string().trim().max(200, "Search for at most 200 characters").optional(),
  /** Items whose current label includes this class. */
  classId: z.number().int().positive().optional(),
  /** Items the active version predicts as this class. */
  predictedClassId: z.number().int().positive().optional(),
  uncertaintyMin: z.number().min(0).max(1).optional(),
  uncertaintyMax: z.number().min(0).max(1).optional(),
  source: z.enum(["imported", "generated", "manual"]).optional(),
  split: z.enum(["unassigned", "train", "test"]).optional(),
  labelStatus: z.enum(["unlabeled", "labeled", "skipped"]).optional(),
  /** Items with a (not undone) annotation by this user. */
  annotatorId: z.string().min(1).max(100).optional(),
  /** Items with an open flag (an annotator asked an admin to look). */
  flagged: z.boolean().optional(),
});
export type ItemFilters = z.output<typeof itemFilterShape>;

/** Zod refinement for schemas built on itemFilterShape (zod cannot extend a refined object). */
export function uncertaintyRangeIsValid(f: Pick<ItemFilters, "uncertaintyMin" | "uncertaintyMax">): boolean {
  return f.uncertaintyMin === undefined || f.uncertaintyMax === undefined || f.uncertaintyMin <= f.uncertaintyMax;
}
export const emptyUncertaintyRange = {
  message: "The uncertainty range is empty: its minimum is above its maximum",
  path: ["uncertaintyMin"],
};

/** Whether the filters read the active version's prediction (an inner join: unscored items cannot match). */
export function needsPrediction(f: ItemFilters): boolean {
  return f.predictedClassId !== undefined || f.uncertaintyMin !== undefined || f.uncertaintyMax !== undefined;
}

/** LIKE pattern for a literal substring: %, _ and \ in the search are matched as themselves. */
export function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The WHERE conditions on `i` (item) and `p` (the active version's prediction, possibly absent) for the filters.
 * Every condition is on the item row or a correlated index probe, so a query that pages in index order and stops at
 * the page limit reads only as many rows as it needs to find a page.
 */
export function itemConditions(f: ItemFilters): Prisma.Sql[] {
  const where: Prisma.Sql[] = [Prisma.sql`i.project_id = ${f.projectId}`];
  if (f.search) where.push(Prisma.sql`i.text ILIKE ${containsPattern(f.search)}`);
  if (f.classId !== undefined) where.push(Prisma.sql`i.label_class_ids @> ARRAY[${f.classId}]::int[]`);
  if (f.source) where.push(Prisma.sql`i.source = ${f.source}::"ItemSource"`);
  if (f.split) where.push(Prisma.sql`i.split = ${f.split}::"Split"`);
  if (f.labelStatus) where.push(Prisma.sql`i.label_status = ${f.labelStatus}::"LabelStatus"`);
  if (f.annotatorId) {
    where.push(
      Prisma.sql`EXISTS (SELECT 1 FROM annotation a WHERE a.item_id = i.id AND a.user_id = ${f.annotatorId} AND a.undone_at IS NULL)`,
    );
  }
  if (f.flagged !== undefined) {
    where.push(
      Prisma.sql`${f.flagged ? Prisma.empty : Prisma.sql`NOT`} EXISTS (SELECT 1 FROM item_flag g WHERE g.item_id = i.id AND g.resolved_at IS NULL)`,
    );
  }
  if (f.predictedClassId !== undefined)
    where.push(Prisma.sql`p.predicted_class_ids @> ARRAY[${f.predictedClassId}]::int[]`);
  if (f.uncertaintyMin !== undefined) where.push(Prisma.sql`p.uncertainty >= ${f.uncertaintyMin}`);
  if (f.uncertaintyMax !== undefined) where.push(Prisma.sql`p.uncertainty <= ${f.uncertaintyMax}`);
  return where;
}
