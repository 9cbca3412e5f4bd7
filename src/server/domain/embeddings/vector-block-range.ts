/**
 * Item ids per vector block. A block covers an id range, not a count of items: which block an item belongs to never
 * changes, so an import only touches the blocks at the end of the pool. 4,096 × 200 float32 is 3.2 MB per block;
 * docs/decisions/vector-blocks.md has the measurement behind the size.
 */
export const BLOCK_IDS = 4096;

/** The block holding item id `id`. */
export function blockOf(id: number): number {
  return Math.floor(id / BLOCK_IDS);
}

/** The item ids block `blockNo` covers, inclusive. */
export function blockRange(blockNo: number): { lo: number; hi: number } {
  return { lo: blockNo * BLOCK_IDS, hi: (blockNo + 1) * BLOCK_IDS - 1 };
}
