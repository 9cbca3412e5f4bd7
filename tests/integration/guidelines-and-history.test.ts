import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabaseAndServer, signIn, type ApiServer } from "../helpers/api-server";
import { addItems, joinEveryProject, makeProject, makeUser, TEST_PASSWORD } from "../helpers/factories";
import type { TestDatabase } from "../helpers/test-database";

let testDb: TestDatabase;
let server: ApiServer;
beforeAll(async () => {
  ({ testDb, server } = await createTestDatabaseAndServer());
});
afterAll(() => testDb.drop());

async function clientFor(role: "admin" | "annotator") {
  const user = await makeUser(testDb.db, role);
  await joinEveryProject(testDb.db, user.id);
  return (await signIn(server.url, user.email, TEST_PASSWORD)).client;
}

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return (error.data as { code?: string }).code;
    throw error;
  }
  return "OK";
}

describe("guidelines", () => {
  it("versions instructions, class descriptions and examples; each annotation records the revision it was made under", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["DESC", "ENTY"] });
    const [itemA, itemB] = await addItems(testDb.db, project.id, [
      "What is a golf ball made of?",
      "How do you make a paper plane?",
    ]);
    const admin = await clientFor("admin");
    const annotator = await clientFor("annotator");
    const projectId = project.id;

    expect(await annotator.guidelines.get.query({ projectId })).toMatchObject({ instructions: "", revision: 0 });
    // Only admins write guidelines.
    expect(await codeOf(annotator.guidelines.updateInstructions.mutate({ projectId, instructions: "mine" }))).toBe(
      "FORBIDDEN",
    );

    expect(
      await admin.guidelines.updateInstructions.mutate({
        projectId,
        instructions: "# Rules\nDESC asks for a **definition**.",
      }),
    ).toEqual({ revision: 1 });
    // Saving the same text again is not a new revision.
    expect(
      await admin.guidelines.updateInstructions.mutate({
        projectId,
        instructions: "# Rules\nDESC asks for a **definition**.",
      }),
    ).toEqual({ revision: 1 });

    // An annotation made now records revision 1.
    await annotator.labels.submit.mutate({ projectId, itemId: itemA!, action: "label", classIds: [classes[0]!.id] });

    // An item's text becomes an example of ENTY and a counter-example of DESC; the same item twice is refused.
    const added = await admin.guidelines.addExample.mutate({
      projectId,
      classId: classes[1]!.id,
      kind: "example",
      itemId: itemA!,
    });
    expect(added.revision).toBe(2);
    expect(
      await codeOf(
        admin.guidelines.addExample.mutate({ projectId, classId: classes[1]!.id, kind: "example", itemId: itemA! }),
      ),
    ).toBe("CONFLICT");
    await admin.guidelines.addExample.mutate({
      projectId,
      classId: classes[0]!.id,
      kind: "counter_example",
      text: "What is the capital of Peru?",
      note: "a LOC question",
    });
    // Bad input is refused with a reason: an item and a text at once, an item of another project.
    expect(
      await codeOf(
        admin.guidelines.addExample.mutate({
          projectId,
          classId: classes[0]!.id,
          kind: "example",
          itemId: itemB!,
          text: "both",
        }),
      ),
    ).toBe("BAD_REQUEST");
    const other = await makeProject(testDb.db, { classes: ["x", "y"] });
    const [foreign] = await addItems(testDb.db, other.project.id, ["elsewhere"]);
    expect(
      await codeOf(
        admin.guidelines.addExample.mutate({ projectId, classId: classes[0]!.id, kind: "example", itemId: foreign! }),
      ),
    ).toBe("NOT_FOUND");
    expect(
      await codeOf(
        admin.guidelines.addExample.mutate({ projectId, classId: other.classes[0]!.id, kind: "example", text: "t" }),
      ),
    ).toBe("NOT_FOUND");

    // A description change is a guideline change too.
    await admin.classes.update.mutate({ id: classes[0]!.id, description: "asks what something is or means" });
    const now = await annotator.guidelines.get.query({ projectId });
    expect(now.revision).toBe(4);
    expect(
      now.classes.map((c) => [c.name, c.examples.map((e) => e.text), c.counterExamples.map((e) => [e.text, e.note])]),
    ).toEqual([
      ["DESC", [], [["What is the capital of Peru?", "a LOC question"]]],
      ["ENTY", ["What is a golf ball made of?"], []],
    ]);
    await annotator.labels.submit.mutate({ projectId, itemId: itemB!, action: "label", classIds: [classes[1]!.id] });

    const annotations = await testDb.db.annotation.findMany({ where: { projectId }, orderBy: { id: "asc" } });
    expect(annotations.map((a) => a.guidelineRevision)).toEqual([1, 4]);
    // Each revision's text can be read back.
    const revisions = await testDb.db.guidelineRevision.findMany({
      where: { projectId },
      orderBy: { revision: "asc" },
    });
    expect(revisions.map((r) => r.revision)).toEqual([1, 2, 3, 4]);
    expect(revisions[0]!.instructions).toContain("definition");
    expect(JSON.stringify(revisions[2]!.classes)).not.toContain("asks what something is");
    expect(JSON.stringify(revisions[3]!.classes)).toContain("asks what something is");

    const removed = await admin.guidelines.removeExample.mutate({ projectId, exampleId: added.example.id });
    expect(removed.revision).toBe(5);
    expect((await annotator.guidelines.get.query({ projectId })).classes[1]!.examples).toEqual([]);
    expect(await testDb.db.auditLog.count({ where: { projectId, action: { startsWith: "guidelines." } } })).toBe(4);
  });
});

describe("labels.mine (the history panel)", () => {
  it("lists the annotator's own latest decisions; changing one supersedes it, keeps it in the history and marks it", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const ids = await addItems(testDb.db, project.id, ["h1", "h2", "h3"]);
    const me = await clientFor("annotator");
    const someoneElse = await clientFor("annotator");
    const projectId = project.id;
    await me.labels.submit.mutate({ projectId, itemId: ids[0]!, action: "label", classIds: [classes[0]!.id] });
    await me.labels.submit.mutate({ projectId, itemId: ids[1]!, action: "skip", reason: "Unsure" });
    await someoneElse.labels.submit.mutate({ projectId, itemId: ids[2]!, action: "label", classIds: [classes[1]!.id] });
    const before = await me.labels.mine.query({ projectId });
    expect(before.map((d) => [d.item.text, d.classIds, d.skipped, d.current])).toEqual([
      ["h2", [], true, true],
      ["h1", [classes[0]!.id], false, true],
    ]);

    // Reopened from the history and changed: a new annotation that supersedes the old one.
    await me.labels.submit.mutate({ projectId, itemId: ids[0]!, action: "label", classIds: [classes[1]!.id] });
    const after = await me.labels.mine.query({ projectId, limit: 2 });
    expect(after.map((d) => [d.item.text, d.classIds, d.current])).toEqual([
      ["h1", [classes[1]!.id], true],
      ["h2", [], true],
    ]);
    const all = await me.labels.mine.query({ projectId });
    expect(all.map((d) => [d.item.text, d.current])).toEqual([
      ["h1", true],
      ["h2", true],
      ["h1", false],
    ]);
    const item = await testDb.db.item.findUniqueOrThrow({ where: { id: ids[0]! } });
    expect(item.labelClassIds).toEqual([classes[1]!.id]);
    expect(
      await testDb.db.auditLog.count({ where: { projectId, action: "label.correct", entityId: String(ids[0]) } }),
    ).toBe(1);
    expect(await codeOf(me.labels.mine.query({ projectId, limit: 500 }))).toBe("BAD_REQUEST");
  });
});

describe("label, undo, label again", () => {
  it("saves the new label when the item had an earlier annotation (the undone row keeps its place in the chain)", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const [itemId] = await addItems(testDb.db, project.id, ["second look text"]);
    const first = await clientFor("annotator");
    const me = await clientFor("annotator");
    const projectId = project.id;
    await first.labels.submit.mutate({ projectId, itemId: itemId!, action: "label", classIds: [classes[0]!.id] });
    await me.labels.submit.mutate({ projectId, itemId: itemId!, action: "label", classIds: [classes[1]!.id] });
    await me.labels.undo.mutate({ projectId });
    // Before the fix this was refused with "Already exists" (two rows superseding the first annotator's).
    await me.labels.submit.mutate({ projectId, itemId: itemId!, action: "label", classIds: [classes[0]!.id] });
    await me.labels.undo.mutate({ projectId });
    await me.labels.submit.mutate({ projectId, itemId: itemId!, action: "label", classIds: [classes[1]!.id] });
    const history = await testDb.db.annotation.findMany({ where: { itemId: itemId! }, orderBy: { id: "asc" } });
    expect(history.map((a) => [a.undoneAt !== null, a.supersedesId])).toEqual([
      [false, null],
      [true, history[0]!.id],
      [true, history[1]!.id],
      [false, history[2]!.id],
    ]);
    expect((await me.labels.mine.query({ projectId })).map((d) => d.current)).toEqual([true]);
    expect((await first.labels.mine.query({ projectId })).map((d) => d.current)).toEqual([false]);
  });
});
