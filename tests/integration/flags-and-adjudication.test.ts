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

describe("skip comments and flags", () => {
  it("keeps a skip's comment, lets annotators flag an item and admins filter flagged items and resolve them once", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const [one, two, three] = await addItems(testDb.db, project.id, ["cut off mid-", "fine text", "other"]);
    const annotator = await clientFor("annotator");
    const admin = await clientFor("admin");
    const projectId = project.id;

    await annotator.labels.submit.mutate({
      projectId,
      itemId: two!,
      action: "skip",
      reason: "Unsure",
      comment: "  could be both  ",
    });
    expect((await testDb.db.annotation.findFirstOrThrow({ where: { itemId: two! } })).comment).toBe("could be both");

    expect(await codeOf(annotator.flags.create.mutate({ projectId, itemId: one!, comment: "   " }))).toBe(
      "BAD_REQUEST",
    );
    const flag = await annotator.flags.create.mutate({ projectId, itemId: one!, comment: "The text is cut off" });
    expect(
      await codeOf(annotator.flags.create.mutate({ projectId: projectId + 1000, itemId: one!, comment: "x" })),
    ).toBe("NOT_FOUND");

    // Items: the flagged filter finds exactly the item with an open flag (and its count agrees).
    const flagged = await admin.items.list.query({ projectId, flagged: true });
    expect(flagged.items.map((i) => i.id)).toEqual([one]);
    expect((await admin.items.count.query({ projectId, flagged: true })).count).toBe(1);
    expect((await admin.items.list.query({ projectId, flagged: false })).items.map((i) => i.id).sort()).toEqual(
      [two, three].sort(),
    );

    // Only admins resolve, once; then the filter no longer finds the item and the flag keeps who and why.
    expect(await codeOf(annotator.flags.resolve.mutate({ projectId, flagId: flag.id }))).toBe("FORBIDDEN");
    await admin.flags.resolve.mutate({ projectId, flagId: flag.id, resolution: "re-imported the full text" });
    expect(await codeOf(admin.flags.resolve.mutate({ projectId, flagId: flag.id }))).toBe("CONFLICT");
    expect((await admin.items.list.query({ projectId, flagged: true })).items).toEqual([]);
    const [kept] = await annotator.flags.forItem.query({ projectId, itemId: one! });
    expect(kept).toMatchObject({ comment: "The text is cut off", resolution: "re-imported the full text" });
    expect(kept!.resolvedAt).not.toBeNull();
    expect(
      await testDb.db.auditLog.count({ where: { projectId, action: { in: ["item.flag", "item.flag.resolve"] } } }),
    ).toBe(2);
    void classes;
  });
});

describe("adjudication", () => {
  it("lists items whose votes disagree (by class pair), and an admin's decision becomes the label without being a vote", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["DESC", "ENTY", "HUM"] });
    await testDb.db.project.update({ where: { id: project.id }, data: { annotationOverlap: 2 } });
    const [x, y, z] = await addItems(testDb.db, project.id, [
      "What is a golf ball made of?",
      "Who wrote Hamlet?",
      "What is love?",
    ]);
    const [desc, enty, hum] = classes.map((c) => c.id) as [number, number, number];
    const ann1 = await clientFor("annotator");
    const ann2 = await clientFor("annotator");
    const admin = await clientFor("admin");
    const projectId = project.id;
    const vote = (c: typeof ann1, itemId: number, classId: number) =>
      c.labels.submit.mutate({ projectId, itemId, action: "label", classIds: [classId] });
    await vote(ann1, x!, desc);
    await vote(ann2, x!, enty);
    await vote(ann1, y!, hum);
    await vote(ann2, y!, enty);
    await vote(ann1, z!, desc);
    await vote(ann2, z!, desc);

    expect(await codeOf(ann1.adjudication.disagreements.query({ projectId }))).toBe("FORBIDDEN");
    const all = await admin.adjudication.disagreements.query({ projectId });
    expect(all.total).toBe(2);
    expect(all.items.map((d) => d.item.id)).toEqual([x, y]);
    expect(all.items[0]!.votes.map((v) => v.classIds).sort()).toEqual([[desc], [enty]].sort());
    // Filtered by the DESC/ENTY pair: only the golf ball.
    expect(
      (await admin.adjudication.disagreements.query({ projectId, classA: desc, classB: enty })).items.map(
        (d) => d.item.id,
      ),
    ).toEqual([x]);
    expect(await codeOf(admin.adjudication.disagreements.query({ projectId, classA: desc }))).toBe("BAD_REQUEST");

    // The tie went to the newest vote (ENTY); the admin decides DESC, which wins although it is one of two votes.
    expect(await codeOf(admin.adjudication.decide.mutate({ projectId, itemId: x!, classIds: [desc, enty] }))).toBe(
      "BAD_REQUEST",
    );
    await admin.adjudication.decide.mutate({ projectId, itemId: x!, classIds: [desc] });
    const decided = await testDb.db.item.findUniqueOrThrow({ where: { id: x! } });
    expect(decided).toMatchObject({ labelStatus: "labeled", labelClassIds: [desc], labelOrigin: "human" });
    expect((await admin.adjudication.disagreements.query({ projectId })).items.map((d) => d.item.id)).toEqual([y]);
    // A later vote does not overturn the ruling; the ruling is no vote in the agreement statistics.
    await vote(ann2, x!, hum);
    expect((await testDb.db.item.findUniqueOrThrow({ where: { id: x! } })).labelClassIds).toEqual([desc]);
    const agreement = await admin.labels.agreement.query({ projectId });
    expect(agreement.items).toBe(3);
    expect(await testDb.db.auditLog.count({ where: { projectId, action: "label.adjudicate" } })).toBe(1);
  });
});
