import type { Prisma } from "@/generated/prisma/client";

/** An item as the Annotate page shows it: the queue serves it in this shape and the decision history reopens it. */
export const annotateItemSelect = {
  id: true,
  text: true,
  metadata: true,
  source: true,
  split: true,
  labelStatus: true,
  labelClassIds: true,
  leaseExpiresAt: true,
  provenance: true,
} satisfies Prisma.ItemSelect;
