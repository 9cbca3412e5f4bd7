import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { contentHash } from "@/server/domain/items/content-hash";
import { DEFAULT_FEATURIZER_ID } from "@/server/featurizers/create-featurizer";
import { PALETTE } from "@/server/domain/classes/class-input";
import { catsVsDogs, newsTopics } from "@/server/domain/seed/demo-projects";

const SEED_ACTION = "seed.demo";
const sampleFile = path.resolve(import.meta.dirname, "../../../../prisma/seed-data/ag-news-sample.jsonl");
const sampleRow = z.object({ text: z.string().min(1), label: z.string() });

/**
 * Seeds the demo projects once per installation (the audit log remembers it, so deleting a demo project is final).
 * Everything is written in one transaction: a crash leaves no half-seeded project.
 */
export async function seedDemoProjects(db: Db, adminId: string | null): Promise<{ seeded: boolean }> {
  if (await db.auditLog.findFirst({ where: { action: SEED_ACTION } })) return { seeded: false };
  const rows = (await readFile(sampleFile, "utf8"))
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => sampleRow.parse(JSON.parse(line)));

  await db.$transaction(
    async (tx) => {
      for (const demo of [catsVsDogs, newsTopics]) {
        if (await tx.project.findUnique({ where: { name: demo.name } })) continue;
        const project = await tx.project.create({
          data: {
            name: demo.name,
            description: demo.description,
            taskType: demo.taskType,
            featurizerId: DEFAULT_FEATURIZER_ID,
            createdById: adminId,
          },
        });
        const classes = await Promise.all(
          demo.classes.map((c, position) =>
            tx.labelClass.create({
              data: {
                projectId: project.id,
                name: c.name,
                description: c.description,
                position,
                color: PALETTE[position % PALETTE.length]!,
              },
            }),
          ),
        );
        if (demo !== newsTopics) continue;

        const classId = new Map(classes.map((c) => [c.name, c.id]));
        const labeledSoFar = new Map<string, number>();
        for (const row of rows) {
          const id = classId.get(row.label);
          if (id === undefined) throw new Error(`seed sample has unknown label ${row.label}`);
          const keepLabel = (labeledSoFar.get(row.label) ?? 0) < newsTopics.labeledPerClass;
          const item = await tx.item.create({
            data: {
              projectId: project.id,
              text: row.text,
              contentHash: contentHash(row.text),
              source: "imported",
              metadata: { dataset: "ag_news" },
              ...(keepLabel
                ? { labelStatus: "labeled", labelClassIds: [id], labelOrigin: "imported", labeledAt: new Date() }
                : {}),
            },
          });
          if (keepLabel) {
            labeledSoFar.set(row.label, (labeledSoFar.get(row.label) ?? 0) + 1);
            await tx.annotation.create({
              data: { projectId: project.id, itemId: item.id, classIds: [id], origin: "imported" },
            });
          }
        }
      }
      await recordAudit(tx, {
        userId: adminId,
        action: SEED_ACTION,
        entityType: "installation",
        entityId: "demo",
        data: { projects: [catsVsDogs.name, newsTopics.name] },
      });
    },
    { timeout: 60_000 },
  );
  return { seeded: true };
}
