import type { Tx } from "@/server/db";

/**
 * Serializes label writes on one item for the rest of the transaction: the history each writer reads (the
 * annotation it supersedes, the votes its label is derived from) then includes every committed concurrent vote.
 * NO KEY UPDATE, because inserting an annotation already holds a key-share lock on the item, which FOR UPDATE would
 * wait on — two concurrent labels of one item would deadlock.
 */
export async function lockItemForLabel(tx: Tx, itemId: number): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM item WHERE id = ${itemId} FOR NO KEY UPDATE`;
  return rows.length > 0;
}
