import { randomBytes } from "node:crypto";
import type { Db } from "@/server/db";
import { createClass } from "@/server/domain/classes/create-class";
import { createProject } from "@/server/domain/projects/create-project";
import { createUser } from "@/server/domain/users/create-user";

// Factories shared by integration tests, e2e setup and the demo seed: real domain functions, unique names.

export const TEST_PASSWORD = "correct-horse-battery";

export function uniqueSuffix() {
  return randomBytes(3).toString("hex");
}

export async function makeUser(db: Db, role: "admin" | "annotator" = "annotator", name = `${role} ${uniqueSuffix()}`) {
  const email = `${name.replaceAll(" ", ".").toLowerCase()}@example.test`;
  const user = await createUser(db, { email, name, password: TEST_PASSWORD, role }, null);
  return { ...user, password: TEST_PASSWORD };
}

/**
 * A project with classes. `annotators` says who may work on it: like the create form, every current annotator unless
 * told otherwise (ids, or [] for nobody); `joinProject` adds annotators made later.
 */
export async function makeProject(
  db: Db,
  options: {
    name?: string;
    classes?: string[];
    taskType?: "binary" | "multiclass" | "multilabel";
    featurizerId?: string;
    annotators?: "all" | string[];
  } = {},
) {
  const project = await createProject(
    db,
    {
      name: options.name ?? `Project ${uniqueSuffix()}`,
      taskType: options.taskType,
      featurizerId: options.featurizerId,
      annotators: options.annotators ?? "all",
    },
    null,
  );
  const classes = [];
  for (const name of options.classes ?? [])
    classes.push(await createClass(db, { projectId: project.id, name, description: `Texts about ${name}` }, null));
  return { project, classes };
}

/** Makes annotators members of a project (tests that create the project before its annotators). */
export async function joinProject(db: Db, projectId: number, ...userIds: string[]) {
  await db.projectMember.createMany({ data: userIds.map((userId) => ({ projectId, userId })), skipDuplicates: true });
}

/** Makes an annotator a member of every project that exists now (tests about the queue, not about membership). */
export async function joinEveryProject(db: Db, userId: string) {
  const projects = await db.project.findMany({ select: { id: true } });
  await db.projectMember.createMany({ data: projects.map((p) => ({ projectId: p.id, userId })), skipDuplicates: true });
}

/** Inserts unlabeled items (bulk, one statement) and returns their ids in input order. */
export async function addItems(db: Db, projectId: number, texts: string[]) {
  const { contentHash } = await import("@/server/domain/items/content-hash");
  await db.item.createMany({
    data: texts.map((text) => ({ projectId, text, contentHash: contentHash(text) })),
    skipDuplicates: true,
  });
  const rows = await db.item.findMany({ where: { projectId }, select: { id: true, contentHash: true } });
  const idByHash = new Map(rows.map((r) => [r.contentHash, r.id]));
  return texts.map((text) => idByHash.get(contentHash(text))!);
}

export async function readJsonl<T>(file: string): Promise<T[]> {
  const { readFile } = await import("node:fs/promises");
  return (await readFile(file, "utf8"))
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}
