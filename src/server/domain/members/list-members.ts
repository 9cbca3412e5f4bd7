import type { z } from "zod";
import type { DbOrTx } from "@/server/db";
import { listMembersInput } from "@/server/domain/members/member-input";

/**
 * Every annotator account with whether it is a member of the project, members first, then by name: the admin's
 * Members card shows both lists from this one answer. Admins are left out (they see every project).
 */
export async function listMembers(db: DbOrTx, input: z.input<typeof listMembersInput>) {
  const { projectId } = listMembersInput.parse(input);
  const annotators = await db.user.findMany({
    where: { role: "annotator" },
    orderBy: [{ name: "asc" }, { email: "asc" }],
    select: {
      id: true,
      name: true,
      email: true,
      disabledAt: true,
      memberships: { where: { projectId }, select: { createdAt: true } },
    },
  });
  return annotators
    .map(({ memberships, ...user }) => ({
      ...user,
      member: memberships.length > 0,
      memberSince: memberships[0]?.createdAt ?? null,
    }))
    .sort((a, b) => Number(b.member) - Number(a.member));
}
