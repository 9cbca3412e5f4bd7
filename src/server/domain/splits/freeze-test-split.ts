import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { getProject } from "@/server/domain/projects/get-project";
import { ASSIGN_TEST_SPLIT_TIMEOUT_MS, assignTestSplit } from "@/server/domain/splits/assign-test-split";

/** Reserves the project's test split now (training does it too): its items are then labeled by the queue's random share. */
export async function freezeTestSplit(db: Db, projectId: number, actorId: string) {
  return db.$transaction(
    async (tx) => {
      await getProject(tx, projectId);
      const { testCount: testItems } = await assignTestSplit(tx, projectId);
      await recordAudit(tx, {
        projectId,
        userId: actorId,
        action: "split.freeze",
        entityType: "project",
        entityId: projectId,
        data: { testItems },
      });
      return { testItems };
    },
    { timeout: ASSIGN_TEST_SPLIT_TIMEOUT_MS },
  );
}
