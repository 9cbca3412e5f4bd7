import { type z } from "zod";
import type { DbOrTx } from "@/server/db";
import { guidelinesInput } from "@/server/domain/guidelines/guideline-input";
import { AppError } from "@/server/errors";

/**
 * What annotators read: the project's instructions (Markdown), the revision they are at, and per live class its
 * description, examples and counter-examples (oldest first, the order an admin added them).
 */
export async function getGuidelines(db: DbOrTx, input: z.input<typeof guidelinesInput>) {
  const { projectId } = guidelinesInput.parse(input);
  const project = await db.project.findUnique({
    where: { id: projectId },
    select: {
      instructions: true,
      guidelineRevision: true,
      classes: {
        where: { archivedAt: null },
        orderBy: [{ position: "asc" }, { id: "asc" }],
        select: {
          id: true,
          name: true,
          description: true,
          color: true,
          hotkey: true,
          examples: {
            orderBy: [{ createdAt: "asc" }, { id: "asc" }],
            select: { id: true, kind: true, text: true, itemId: true, note: true },
          },
        },
      },
    },
  });
  if (!project) throw new AppError("NOT_FOUND", `Project ${projectId} does not exist`);
  return {
    instructions: project.instructions,
    revision: project.guidelineRevision,
    classes: project.classes.map(({ examples, ...c }) => ({
      ...c,
      examples: examples.filter((e) => e.kind === "example"),
      counterExamples: examples.filter((e) => e.kind === "counter_example"),
    })),
  };
}
