import type { TaskType } from "@/generated/prisma/client";
import { AppError } from "@/server/errors";

/**
 * Refuses classes a person may not give: ones that are not the project's active classes, or more or fewer than one
 * in a binary / multi-class project (a multi-label item takes any number, even none). Shared by every decision
 * (labels/record-decision.ts) and the admin's ruling (adjudication/adjudicate-item.ts), so they cannot disagree.
 */
export function checkDecisionClasses(
  project: { taskType: TaskType; classes: { id: number }[] },
  classIds: number[],
): void {
  const known = new Set(project.classes.map((c) => c.id));
  const unknown = classIds.filter((id) => !known.has(id));
  if (unknown.length) throw new AppError("INVALID_INPUT", `Class ${unknown.join(", ")} is not a class of this project`);
  if (project.taskType !== "multilabel" && classIds.length !== 1) {
    throw new AppError(
      "INVALID_INPUT",
      `A ${project.taskType} project takes exactly one class per item (got ${classIds.length})`,
    );
  }
}
