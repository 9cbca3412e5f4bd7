import type { z } from "zod";
import { rankingVersion } from "@/server/domain/scoring/ranking-version";
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import {
  emptyUncertaintyRange,
  itemConditions,
  itemFilterShape,
  needsPrediction,
  uncertaintyRangeIsValid,
} from "@/server/domain/items/item-filters";
import { withSearchTimeout } from "@/server/domain/items/search-timeout";

export const countItemsInput = itemFilterShape.refine(uncertaintyRangeIsValid, emptyUncertaintyRange);

/** Counting stops here: "10,000+ items" is as useful as an exact figure and stays fast on 1M rows. */
export const COUNT_CAP = 10_000;

/** How many items match the items table's filters, exact up to COUNT_CAP. */
export async function countItems(db: Db, rawInput: z.input<typeof countItemsInput>) {
  const input = countItemsInput.parse(rawInput);
  const project = await db.project.findUnique({
    where: { id: input.projectId },
    select: { activeModelVersionId: true },
  });
  const versionId = (await rankingVersion(db, input.projectId, project?.activeModelVersionId ?? null))?.id ?? 0;
  const join = needsPrediction(input)
    ? Prisma.sql`JOIN prediction p ON p.model_version_id = ${versionId} AND p.item_id = i.id`
    : Prisma.empty;
  const [row] = await withSearchTimeout(
    db,
    Boolean(input.search),
    (tx) =>
      tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM (
        SELECT 1 FROM item i ${join} WHERE ${Prisma.join(itemConditions(input), " AND ")} LIMIT ${COUNT_CAP + 1}
      ) s`,
  );
  const n = row?.n ?? 0;
  return { count: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
}
