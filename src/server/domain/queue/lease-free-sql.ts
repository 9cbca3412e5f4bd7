import { Prisma } from "@/generated/prisma/client";

/**
 * SQL for "no annotator holds this item": it was never leased or its lease has run out. A released lease
 * (labels/record-decision.ts) clears lease_expires_at, so an expired or cleared lease frees the item whoever held
 * it. Every query that hands out or moves an item it must not take from an annotator uses this one condition.
 * `alias` is the item table's alias in the query ("i" for `item i`), or none.
 */
export function leaseFreeSql(alias?: "i"): Prisma.Sql {
  const column = alias ? `${alias}.lease_expires_at` : "lease_expires_at";
  return Prisma.raw(`(${column} IS NULL OR ${column} < now())`);
}
