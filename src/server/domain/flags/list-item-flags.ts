import { type z } from "zod";
import type { DbOrTx } from "@/server/db";
import { itemFlagsInput } from "@/server/domain/flags/flag-input";

/** An item's flags, open first then newest first, with who raised and who resolved each. */
export async function listItemFlags(db: DbOrTx, input: z.input<typeof itemFlagsInput>) {
  const { projectId, itemId } = itemFlagsInput.parse(input);
  const flags = await db.itemFlag.findMany({
    where: { projectId, itemId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  const userIds = [
    ...new Set(flags.flatMap((f) => [f.userId, f.resolvedById]).filter((id): id is string => id !== null)),
  ];
  const users = new Map(
    (await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })).map((u) => [
      u.id,
      u.name,
    ]),
  );
  return flags
    .map((f) => ({
      ...f,
      raisedBy: f.userId ? (users.get(f.userId) ?? null) : null,
      resolvedBy: f.resolvedById ? (users.get(f.resolvedById) ?? null) : null,
    }))
    .sort((a, b) => Number(a.resolvedAt !== null) - Number(b.resolvedAt !== null));
}
