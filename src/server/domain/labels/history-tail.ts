import type { DbOrTx } from "@/server/db";

/**
 * The annotation a new one on this item supersedes: the newest one nothing supersedes yet, undone or not. An undone
 * annotation keeps the link to the one it replaced, so after label → undo → label the new row continues the chain
 * from the undone one; taking "the latest one not undone" instead gave two rows the same predecessor, which the
 * unique supersedes_id refused ("Already exists": the relabel after an undo was lost).
 */
export async function historyTailId(db: DbOrTx, itemId: number): Promise<number | null> {
  const tail = await db.annotation.findFirst({
    where: { itemId, supersededBy: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true },
  });
  return tail?.id ?? null;
}
