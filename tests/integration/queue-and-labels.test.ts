import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type apiClient, signIn, createTestDatabaseAndServer, type ApiServer } from "../helpers/api-server";
import { addItems, joinEveryProject, makeProject, makeUser, TEST_PASSWORD } from "../helpers/factories";
import type { TestDatabase } from "../helpers/test-database";
import { ensureVersionPartition } from "@/server/domain/scoring/prediction-partitions";

let testDb: TestDatabase;
let server: ApiServer;
beforeAll(async () => {
  ({ testDb, server } = await createTestDatabaseAndServer());
});
afterAll(() => testDb.drop());

type Client = ReturnType<typeof apiClient>;

// Which annotator each client is signed in as.
const emails = new Map<Client, string>();

async function annotators(count: number): Promise<Client[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const user = await makeUser(testDb.db, "annotator");
      await joinEveryProject(testDb.db, user.id);
      const { client } = await signIn(server.url, user.email, TEST_PASSWORD);
      emails.set(client, user.email);
      return client;
    }),
  );
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

describe("queue.next", () => {
  it("never hands the same item to two of 20 concurrent annotators, and loses no label", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    await addItems(
      testDb.db,
      project.id,
      Array.from({ length: 300 }, (_, i) => `concurrent text number ${i}`),
    );
    const clients = await annotators(20);
    const seen: number[] = [];
    for (let round = 0; round < 5; round++) {
      const picks = await Promise.all(clients.map((c) => c.queue.next.mutate({ projectId: project.id })));
      const ids = picks.map((p) => p!.item.id);
      seen.push(...ids);
      await Promise.all(
        clients.map((c, i) =>
          c.labels.submit.mutate({
            projectId: project.id,
            itemId: ids[i]!,
            action: "label",
            classIds: [classes[i % 2]!.id],
          }),
        ),
      );
    }
    expect(new Set(seen).size).toBe(100);
    expect(await testDb.db.annotation.count({ where: { projectId: project.id, origin: "human" } })).toBe(100);
    expect(await testDb.db.item.count({ where: { projectId: project.id, labelStatus: "labeled" } })).toBe(100);
    expect(await testDb.db.item.count({ where: { projectId: project.id, leasedById: { not: null } } })).toBe(0);
  });

  it("returns the held item on a repeated call, skips items the client excludes, and frees expired leases", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["a", "b"] });
    await addItems(testDb.db, project.id, ["one", "two", "three"]);
    const [alice, bob] = await annotators(2);
    const first = await alice!.queue.next.mutate({ projectId: project.id });
    const again = await alice!.queue.next.mutate({ projectId: project.id });
    expect(again!.item.id).toBe(first!.item.id);
    expect(again!.reason).toBe("resume");
    const prefetched = await alice!.queue.next.mutate({ projectId: project.id, exclude: [first!.item.id] });
    expect(prefetched!.item.id).not.toBe(first!.item.id);

    const bobs = await bob!.queue.next.mutate({ projectId: project.id });
    expect([first!.item.id, prefetched!.item.id]).not.toContain(bobs!.item.id);
    expect(await bob!.queue.next.mutate({ projectId: project.id, exclude: [bobs!.item.id] })).toBeNull();

    await testDb.db.item.update({
      where: { id: first!.item.id },
      data: { leaseExpiresAt: new Date(Date.now() - 1000) },
    });
    const freed = await bob!.queue.next.mutate({ projectId: project.id, exclude: [bobs!.item.id] });
    expect(freed!.item.id).toBe(first!.item.id);
  });
});

describe("labels", () => {
  it("validates labels against the project's task and classes", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const other = await makeProject(testDb.db, { classes: ["x"] });
    const [itemId] = await addItems(testDb.db, project.id, ["validate me"]);
    const [client] = await annotators(1);
    const submit = (input: Record<string, unknown>) =>
      client!.labels.submit.mutate({ projectId: project.id, itemId: itemId!, ...input } as never);
    expect(await codeOf(submit({ action: "label", classIds: [classes[0]!.id, classes[1]!.id] }))).toBe("BAD_REQUEST");
    expect(await codeOf(submit({ action: "label", classIds: [] }))).toBe("BAD_REQUEST");
    expect(await codeOf(submit({ action: "label", classIds: [other.classes[0]!.id] }))).toBe("BAD_REQUEST");
    expect(await codeOf(submit({ action: "accept" }))).toBe("PRECONDITION_FAILED");
    expect(await codeOf(submit({ action: "skip", reason: "  " }))).toBe("BAD_REQUEST");
    expect(
      await codeOf(
        client!.labels.submit.mutate({
          projectId: other.project.id,
          itemId: itemId!,
          action: "label",
          classIds: [other.classes[0]!.id],
        }),
      ),
    ).toBe("NOT_FOUND");
    expect(await testDb.db.annotation.count({ where: { itemId } })).toBe(0);
  });

  it("keeps corrections as history and undoes the annotator's last label", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const [itemId] = await addItems(testDb.db, project.id, ["correct me"]);
    const [client] = await annotators(1);
    await client!.labels.submit.mutate({
      projectId: project.id,
      itemId: itemId!,
      action: "label",
      classIds: [classes[0]!.id],
    });
    await client!.labels.submit.mutate({
      projectId: project.id,
      itemId: itemId!,
      action: "label",
      classIds: [classes[1]!.id],
    });
    const history = await testDb.db.annotation.findMany({ where: { itemId }, orderBy: { id: "asc" } });
    expect(history.map((a) => a.classIds)).toEqual([[classes[0]!.id], [classes[1]!.id]]);
    expect(history[1]!.supersedesId).toBe(history[0]!.id);
    expect((await testDb.db.item.findUniqueOrThrow({ where: { id: itemId } })).labelClassIds).toEqual([classes[1]!.id]);

    const undone = await client!.labels.undo.mutate({ projectId: project.id });
    expect(undone).toMatchObject({ itemId, restoredClassIds: [classes[0]!.id], labelStatus: "labeled" });
    await client!.labels.undo.mutate({ projectId: project.id });
    const item = await testDb.db.item.findUniqueOrThrow({ where: { id: itemId } });
    expect(item.labelStatus).toBe("unlabeled");
    expect(await testDb.db.annotation.count({ where: { itemId, undoneAt: { not: null } } })).toBe(2);
    expect(await codeOf(client!.labels.undo.mutate({ projectId: project.id }))).toBe("PRECONDITION_FAILED");
    const back = await client!.queue.next.mutate({ projectId: project.id });
    expect(back).toMatchObject({ item: { id: itemId }, reason: "undo" });
    expect(await testDb.db.auditLog.count({ where: { projectId: project.id, action: { startsWith: "label." } } })).toBe(
      4,
    );
  });

  it("takes several classes, or none, in a multi-label project, and records skips with their reason", async () => {
    const { project, classes } = await makeProject(testDb.db, {
      taskType: "multilabel",
      classes: ["joy", "anger", "fear"],
    });
    const [a, b, c] = await addItems(testDb.db, project.id, ["great and scary", "nothing much", "unsure"]);
    const [client] = await annotators(1);
    await client!.labels.submit.mutate({
      projectId: project.id,
      itemId: a!,
      action: "label",
      classIds: [classes[0]!.id, classes[2]!.id, classes[0]!.id],
    });
    await client!.labels.submit.mutate({ projectId: project.id, itemId: b!, action: "label", classIds: [] });
    await client!.labels.submit.mutate({ projectId: project.id, itemId: c!, action: "skip", reason: "ambiguous" });
    const items = await testDb.db.item.findMany({ where: { id: { in: [a!, b!, c!] } }, orderBy: { id: "asc" } });
    expect(items.map((i) => [i.labelStatus, i.labelClassIds])).toEqual([
      ["labeled", [classes[0]!.id, classes[2]!.id]],
      ["labeled", []],
      ["skipped", []],
    ]);
    expect((await testDb.db.annotation.findFirstOrThrow({ where: { itemId: c } })).skipReason).toBe("ambiguous");
  });

  it("queues a retrain every N human labels, once", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    await testDb.db.project.update({ where: { id: project.id }, data: { retrainEvery: 3 } });
    const ids = await addItems(testDb.db, project.id, ["r1", "r2", "r3", "r4", "r5"]);
    const [client] = await annotators(1);
    const queued: boolean[] = [];
    for (const itemId of ids)
      queued.push(
        (
          await client!.labels.submit.mutate({
            projectId: project.id,
            itemId,
            action: "label",
            classIds: [classes[0]!.id],
          })
        ).retrainQueued,
      );
    expect(queued).toEqual([false, false, true, false, false]);
    expect(await testDb.db.jobRun.count({ where: { projectId: project.id, type: "train" } })).toBe(1);
    // The interval is reached again while that training is still queued: this label queued nothing, and says so.
    await testDb.db.project.update({ where: { id: project.id }, data: { retrainEvery: 1 } });
    const [extra] = await addItems(testDb.db, project.id, ["r6"]);
    const again = await client!.labels.submit.mutate({
      projectId: project.id,
      itemId: extra!,
      action: "label",
      classIds: [classes[0]!.id],
    });
    expect(again.retrainQueued).toBe(false);
    expect(await testDb.db.jobRun.count({ where: { projectId: project.id, type: "train" } })).toBe(1);
  });
});

describe("queue.progress", () => {
  it("counts the annotator's own labels since the start of their day and their pace over time spent on items", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const ids = await addItems(testDb.db, project.id, ["p1", "p2", "p3", "p4", "p5"]);
    const [me, other] = await annotators(2);
    const since = new Date(Date.now() - 60 * 60_000);
    expect(await me!.queue.progress.query({ projectId: project.id, since, sessionStart: since })).toEqual({
      labeledToday: 0,
      labeledThisSession: 0,
      labelsPerMinute: null,
      remaining: { count: 5, exact: true },
      sessionGoal: null,
    });
    for (const itemId of ids.slice(0, 3)) {
      await me!.labels.submit.mutate({
        projectId: project.id,
        itemId,
        action: "label",
        classIds: [classes[0]!.id],
        durationMs: 2_000,
      });
    }
    await me!.labels.submit.mutate({
      projectId: project.id,
      itemId: ids[3]!,
      action: "skip",
      reason: "unsure",
      durationMs: 60_000,
    });
    await other!.labels.submit.mutate({
      projectId: project.id,
      itemId: ids[4]!,
      action: "label",
      classIds: [classes[1]!.id],
      durationMs: 1_000,
    });
    // 3 labels in 6 s of work: 30 per minute; the skip and the other annotator's label count for neither figure.
    // Left: nothing is unlabeled any more (4 labeled, 1 skipped), counted now rather than from a cache.
    expect(await me!.queue.progress.query({ projectId: project.id, since, sessionStart: since })).toEqual({
      labeledToday: 3,
      labeledThisSession: 3,
      labelsPerMinute: 30,
      remaining: { count: 0, exact: true },
      sessionGoal: null,
    });
    await me!.labels.undo.mutate({ projectId: project.id });
    await me!.labels.undo.mutate({ projectId: project.id });
    const afterUndo = await me!.queue.progress.query({ projectId: project.id, since });
    expect(afterUndo.labeledToday).toBe(2);
    // Both undone items (the skip and the third label) are unlabeled again.
    expect(afterUndo.remaining).toEqual({ count: 2, exact: true });
    // A day (or a sitting) that starts later than the labels holds none of them.
    const later = new Date(Date.now() + 60_000);
    expect((await me!.queue.progress.query({ projectId: project.id, since: later })).labeledToday).toBe(0);
    expect(
      (await me!.queue.progress.query({ projectId: project.id, since, sessionStart: later })).labeledThisSession,
    ).toBe(0);
    await testDb.db.project.update({ where: { id: project.id }, data: { sessionGoal: 50 } });
    expect((await me!.queue.progress.query({ projectId: project.id, since })).sessionGoal).toBe(50);
  });
});

describe("overlap and agreement", () => {
  it("hands a labeled item to more annotators until the overlap is reached, blind, and the majority label wins", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    await testDb.db.project.update({ where: { id: project.id }, data: { annotationOverlap: 3 } });
    const [a, b] = [classes[0]!.id, classes[1]!.id];
    await addItems(testDb.db, project.id, ["first text", "second text", "third text"]);
    const [alice, bob, carol, dave] = await annotators(4);

    const first = (await alice!.queue.next.mutate({ projectId: project.id }))!;
    await alice!.labels.submit.mutate({ projectId: project.id, itemId: first.item.id, action: "label", classIds: [a] });

    const second = (await bob!.queue.next.mutate({ projectId: project.id }))!;
    expect(second).toMatchObject({
      reason: "overlap",
      item: { id: first.item.id, labelStatus: "unlabeled", labelClassIds: [] },
    });
    // A reload gives the same item back, still blind.
    expect(await bob!.queue.next.mutate({ projectId: project.id })).toMatchObject({
      reason: "overlap",
      item: { id: first.item.id, labelClassIds: [] },
    });
    await bob!.labels.submit.mutate({ projectId: project.id, itemId: first.item.id, action: "label", classIds: [b] });
    // One vote each: the newest wins the tie.
    expect((await testDb.db.item.findUniqueOrThrow({ where: { id: first.item.id } })).labelClassIds).toEqual([b]);

    const third = (await carol!.queue.next.mutate({ projectId: project.id }))!;
    expect(third).toMatchObject({ reason: "overlap", item: { id: first.item.id } });
    await carol!.labels.submit.mutate({ projectId: project.id, itemId: first.item.id, action: "label", classIds: [a] });
    expect((await testDb.db.item.findUniqueOrThrow({ where: { id: first.item.id } })).labelClassIds).toEqual([a]);

    // Three votes reached: nobody gets the item again, and its own annotators never do.
    const fourth = (await dave!.queue.next.mutate({ projectId: project.id }))!;
    expect(fourth.item.id).not.toBe(first.item.id);
    expect(fourth.reason).not.toBe("overlap");
    const again = (await alice!.queue.next.mutate({ projectId: project.id }))!;
    expect(again.item.id).not.toBe(first.item.id);

    // Dave and Alice agree on a second item.
    await dave!.labels.submit.mutate({ projectId: project.id, itemId: fourth.item.id, action: "label", classIds: [b] });
    await alice!.labels.submit.mutate({
      projectId: project.id,
      itemId: again.item.id,
      action: "skip",
      reason: "unsure",
    });
    const overlapForAlice = (await alice!.queue.next.mutate({ projectId: project.id }))!;
    expect(overlapForAlice).toMatchObject({ reason: "overlap", item: { id: fourth.item.id } });
    await alice!.labels.submit.mutate({
      projectId: project.id,
      itemId: fourth.item.id,
      action: "label",
      classIds: [b],
    });

    const agreement = await alice!.labels.agreement.query({ projectId: project.id });
    expect(agreement).toMatchObject({ items: 2, labels: 5, unanimousItems: 1 });
    // Units {a, b, a} and {b, b}: 2 agreeing pairs of 5 values' coincidences → observed 0.6; alpha from the same.
    expect(agreement.observedAgreement).toBeCloseTo(0.6, 10);
    expect(agreement.alpha).toBeCloseTo(1 - (1 - 0.6) / ((25 - 13) / 20), 10);
  });

  it("gives nobody a second opinion when overlap is 1 (the default)", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const [only] = await addItems(testDb.db, project.id, ["lonely text"]);
    const [alice, bob] = await annotators(2);
    await alice!.labels.submit.mutate({
      projectId: project.id,
      itemId: only!,
      action: "label",
      classIds: [classes[0]!.id],
    });
    expect(await bob!.queue.next.mutate({ projectId: project.id })).toBeNull();
    expect(await bob!.labels.agreement.query({ projectId: project.id })).toEqual({
      items: 0,
      labels: 0,
      unanimousItems: 0,
      alpha: null,
      observedAgreement: null,
    });
  });
});

describe("export by agreement", () => {
  it("keeps only items whose votes agree enough with their label, counting each annotator's latest decision once", async () => {
    const { exportText } = await import("../helpers/export-helpers");
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const [a, b] = [classes[0]!.id, classes[1]!.id];
    const [split, unanimous, corrected] = await addItems(testDb.db, project.id, [
      "split vote",
      "everyone agrees",
      "one mind changed",
    ]);
    const [alice, bob, carol] = await annotators(3);
    const label = (client: Client, itemId: number, classId: number) =>
      client.labels.submit.mutate({ projectId: project.id, itemId, action: "label", classIds: [classId] });
    await label(alice!, split!, a);
    await label(bob!, split!, b);
    await label(carol!, split!, a); // 2 of 3 votes for a
    await label(alice!, unanimous!, b);
    await label(bob!, unanimous!, b); // 2 of 2
    await label(alice!, corrected!, a);
    await label(bob!, corrected!, b);
    await label(alice!, corrected!, b); // alice changed her mind: her latest vote counts, 2 of 2 for b
    const [withdrawn] = await addItems(testDb.db, project.id, ["a vote withdrawn"]);
    await label(alice!, withdrawn!, a);
    await label(bob!, withdrawn!, b);
    await bob!.labels.submit.mutate({ projectId: project.id, itemId: withdrawn!, action: "skip", reason: "unsure" }); // bob withdraws: 1 of 1 for a
    const texts = async (minAgreement: number) =>
      (await exportText({ projectId: project.id, format: "hf-jsonl", minAgreement }))
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { text: string }).text)
        .sort();
    expect(await texts(0.6)).toEqual(["a vote withdrawn", "everyone agrees", "one mind changed", "split vote"]);
    expect(await texts(0.9)).toEqual(["a vote withdrawn", "everyone agrees", "one mind changed"]);
  });
});

describe("annotator statistics", () => {
  it("reports each annotator's labels, pace, agreement with the majority and with the model they were shown", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const [a, b] = [classes[0]!.id, classes[1]!.id];
    const [x, y, z] = await addItems(testDb.db, project.id, ["item x", "item y", "item z"]);
    const version = await testDb.db.modelVersion.create({
      data: { projectId: project.id, number: 1, featurizerId: "glove-sif-200@1", status: "ready" },
    });
    await testDb.db.project.update({ where: { id: project.id }, data: { activeModelVersionId: version.id } });
    // The model predicts a for every item.
    await ensureVersionPartition(testDb.db, version.id);
    await testDb.db.prediction.createMany({
      data: [x!, y!, z!].map((itemId) => ({
        modelVersionId: version.id,
        itemId,
        projectId: project.id,
        probabilities: new Uint8Array(8),
        predictedClassIds: [a],
        confidence: 0.9,
        uncertainty: 0.1,
        priority: 0.1,
      })),
    });
    const [alice, bob, carol] = await annotators(3);
    const label = (client: Client, itemId: number, classId: number, durationMs: number) =>
      client.labels.submit.mutate({ projectId: project.id, itemId, action: "label", classIds: [classId], durationMs });
    await label(alice!, x!, a, 1_000);
    await label(bob!, x!, b, 3_000);
    await label(carol!, x!, a, 2_000); // majority a on x
    await label(alice!, y!, b, 3_000); // alone on y: no majority to compare with
    await bob!.labels.submit.mutate({ projectId: project.id, itemId: z!, action: "skip", reason: "unsure" });

    const admin = await makeUser(testDb.db, "admin");
    const { client: adminClient } = await signIn(server.url, admin.email, TEST_PASSWORD);
    const stats = await adminClient.labels.annotators.query({ projectId: project.id });
    const of = (c: Client) => stats.find((s) => s.email === emails.get(c));
    expect(of(alice!)).toMatchObject({
      labels: 2,
      skips: 0,
      medianSecondsPerLabel: 2,
      itemsWithSeveralVotes: 1,
      agreementWithMajority: 1,
      agreementWithModel: 0.5,
    });
    expect(of(bob!)).toMatchObject({
      labels: 1,
      skips: 1,
      medianSecondsPerLabel: 3,
      itemsWithSeveralVotes: 1,
      agreementWithMajority: 0,
      agreementWithModel: 0,
    });
    expect(of(carol!)).toMatchObject({ labels: 1, agreementWithMajority: 1, agreementWithModel: 1 });
    expect(await codeOf(alice!.labels.annotators.query({ projectId: project.id }))).toBe("FORBIDDEN");
    // Across projects, on the Users page: skips are not labels.
    const accounts = await adminClient.users.list.query();
    expect(accounts.find((u) => u.email === emails.get(alice!))).toMatchObject({
      labels: 2,
      labelsLast7Days: 2,
      medianSecondsPerLabel: 2,
    });
    expect(accounts.find((u) => u.email === emails.get(bob!))).toMatchObject({ labels: 1, medianSecondsPerLabel: 3 });
    expect(accounts.find((u) => u.email === admin.email)).toMatchObject({
      labels: 0,
      medianSecondsPerLabel: null,
      lastLabelAt: null,
    });
  });
});

describe("accepting a prediction during a retrain", () => {
  it("accepts the prediction of the version the annotator was shown, even when a newer one is active and unscored", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const [itemId] = await addItems(testDb.db, project.id, ["shown with v1"]);
    const v1 = await testDb.db.modelVersion.create({
      data: { projectId: project.id, number: 1, featurizerId: "glove-sif-200@1", status: "ready" },
    });
    await ensureVersionPartition(testDb.db, v1.id);
    await testDb.db.prediction.create({
      data: {
        modelVersionId: v1.id,
        itemId: itemId!,
        projectId: project.id,
        probabilities: new Uint8Array(8),
        predictedClassIds: [classes[1]!.id],
        confidence: 0.8,
        uncertainty: 0.2,
        priority: 0.2,
      },
    });
    // A retrain just activated v2, which has not scored the pool yet.
    const v2 = await testDb.db.modelVersion.create({
      data: { projectId: project.id, number: 2, featurizerId: "glove-sif-200@1", status: "ready" },
    });
    await testDb.db.project.update({ where: { id: project.id }, data: { activeModelVersionId: v2.id } });
    const [client] = await annotators(1);
    expect(
      await codeOf(client!.labels.submit.mutate({ projectId: project.id, itemId: itemId!, action: "accept" })),
    ).toBe("PRECONDITION_FAILED");
    const other = await makeProject(testDb.db, { classes: ["x", "y"] });
    const foreign = await testDb.db.modelVersion.create({
      data: { projectId: other.project.id, number: 1, featurizerId: "glove-sif-200@1", status: "ready" },
    });
    expect(
      await codeOf(
        client!.labels.submit.mutate({
          projectId: project.id,
          itemId: itemId!,
          action: "accept",
          modelVersionId: foreign.id,
        }),
      ),
    ).toBe("PRECONDITION_FAILED");

    const { annotation } = await client!.labels.submit.mutate({
      projectId: project.id,
      itemId: itemId!,
      action: "accept",
      modelVersionId: v1.id,
    });
    expect(annotation).toMatchObject({ classIds: [classes[1]!.id], modelVersionId: v1.id, acceptedPrediction: true });
    const accepted = await testDb.db.item.findUniqueOrThrow({ where: { id: itemId! } });
    expect([accepted.labelClassIds, accepted.labelOrigin]).toEqual([[classes[1]!.id], "model_accepted"]);

    // An accepted prediction is a person's decision for training, but exports can leave it out.
    const { exportText } = await import("../helpers/export-helpers");
    const { loadLabeledItems } = await import("@/server/domain/training/load-labeled-items");
    const exported = async (origins: ("human" | "model_accepted")[]) =>
      (await exportText({ projectId: project.id, format: "hf-jsonl", origins })).trim();
    expect(await exported(["human"])).toBe("");
    expect(JSON.parse(await exported(["human", "model_accepted"]))).toMatchObject({
      text: "shown with v1",
      label: "b",
    });
    expect(
      (await loadLabeledItems(testDb.db, project.id, { includeGenerated: false })).train.map((t) => t.origin),
    ).toEqual(["model_accepted"]);

    // Choosing a class after accepting makes the label the annotator's own again.
    await client!.labels.submit.mutate({
      projectId: project.id,
      itemId: itemId!,
      action: "label",
      classIds: [classes[0]!.id],
    });
    expect((await testDb.db.item.findUniqueOrThrow({ where: { id: itemId! } })).labelOrigin).toBe("human");
  });
});

describe("one label rule for the item, the export and training", () => {
  it("trains on the majority of human votes, and keeps an imported label that a human only skipped", async () => {
    const { loadLabeledItems } = await import("@/server/domain/training/load-labeled-items");
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const [a, b] = [classes[0]!.id, classes[1]!.id];
    const [voted, imported] = await addItems(testDb.db, project.id, ["three votes", "imported then skipped"]);
    const [alice, bob, carol] = await annotators(3);
    for (const [client, classId] of [
      [alice!, a],
      [bob!, b],
      [carol!, a],
    ] as const) {
      await client.labels.submit.mutate({
        projectId: project.id,
        itemId: voted!,
        action: "label",
        classIds: [classId],
      });
    }
    await testDb.db.annotation.create({
      data: { projectId: project.id, itemId: imported!, classIds: [b], origin: "imported" },
    });
    await testDb.db.item.update({
      where: { id: imported! },
      data: { labelStatus: "labeled", labelClassIds: [b], labelOrigin: "imported", labeledAt: new Date() },
    });
    await alice!.labels.submit.mutate({ projectId: project.id, itemId: imported!, action: "skip", reason: "unsure" });

    const items = await testDb.db.item.findMany({ where: { id: { in: [voted!, imported!] } }, orderBy: { id: "asc" } });
    expect(items.map((i) => [i.labelStatus, i.labelClassIds, i.labelOrigin])).toEqual([
      ["labeled", [a], "human"],
      ["labeled", [b], "imported"],
    ]);
    const { train } = await loadLabeledItems(testDb.db, project.id, { includeGenerated: true });
    expect(train.map((t) => [t.itemId, t.classIds, t.origin])).toEqual([
      [voted, [a], "human"],
      [imported, [b], "imported"],
    ]);
  });
});

describe("concurrent votes on one item", () => {
  it("keeps the item's label equal to the rule applied to its full history when annotators submit at once", async () => {
    const { effectiveAnnotation } = await import("@/server/domain/labels/effective-label");
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const [a, b] = [classes[0]!.id, classes[1]!.id];
    const itemIds = await addItems(
      testDb.db,
      project.id,
      Array.from({ length: 30 }, (_, i) => `contested ${i}`),
    );
    const voters = await annotators(3);
    // Two votes for a, one for b, all in flight together: each transaction inserts its vote before re-deriving the
    // label, so without serialization one can derive it from a history that misses a concurrent vote.
    await Promise.all(
      itemIds.flatMap((itemId) =>
        voters.map((client, v) =>
          client.labels.submit.mutate({
            projectId: project.id,
            itemId: itemId!,
            action: "label",
            classIds: [v === 1 ? b : a],
          }),
        ),
      ),
    );
    for (const itemId of itemIds) {
      const history = await testDb.db.annotation.findMany({
        where: { itemId: itemId!, undoneAt: null },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      });
      const item = await testDb.db.item.findUniqueOrThrow({ where: { id: itemId! } });
      expect(history).toHaveLength(3);
      expect(item.labelClassIds).toEqual([a]);
      expect(item.labeledAt).toEqual(effectiveAnnotation(history)!.createdAt);
    }
  });
});

describe("reviewing generated examples", () => {
  it("serves LLM-generated examples nobody has checked, one annotator each, until every one is confirmed or corrected", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const [a, b] = [classes[0]!.id, classes[1]!.id];
    const { contentHash } = await import("@/server/domain/items/content-hash");
    const texts = ["generated one", "generated two", "generated three"];
    await testDb.db.item.createMany({
      data: texts.map((text) => ({
        projectId: project.id,
        text,
        contentHash: contentHash(text),
        source: "generated" as const,
        labelStatus: "labeled" as const,
        labelClassIds: [a],
        labelOrigin: "generated" as const,
        labeledAt: new Date(),
      })),
    });
    const generated = await testDb.db.item.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" } });
    await testDb.db.annotation.createMany({
      data: generated.map((g) => ({
        projectId: project.id,
        itemId: g.id,
        classIds: [a],
        origin: "generated" as const,
      })),
    });
    const [unlabeled] = await addItems(testDb.db, project.id, ["an ordinary unlabeled text"]);
    const [alice, bob] = await annotators(2);

    const first = await alice!.queue.next.mutate({ projectId: project.id, mode: "review-generated" });
    const second = await bob!.queue.next.mutate({ projectId: project.id, mode: "review-generated" });
    expect([first!.reason, second!.reason]).toEqual(["review", "review"]);
    expect(first!.item.id).not.toBe(second!.item.id);
    expect(first!.item).toMatchObject({ source: "generated", labelClassIds: [a] });
    expect(first!.remaining).toBe(3);
    // The learning queue is unaffected: it serves the unlabeled text.
    expect((await alice!.queue.next.mutate({ projectId: project.id, exclude: [first!.item.id] }))!.item.id).toBe(
      unlabeled,
    );

    await alice!.labels.submit.mutate({
      projectId: project.id,
      itemId: first!.item.id,
      action: "label",
      classIds: [a],
    }); // confirmed
    await bob!.labels.submit.mutate({ projectId: project.id, itemId: second!.item.id, action: "label", classIds: [b] }); // corrected
    // Alice still holds the unlabeled text from the learning queue; the review queue does not hand it back.
    const third = await alice!.queue.next.mutate({ projectId: project.id, mode: "review-generated" });
    expect(third).toMatchObject({ reason: "review", remaining: 1 });
    expect([first!.item.id, second!.item.id]).not.toContain(third!.item.id);
    await alice!.labels.submit.mutate({
      projectId: project.id,
      itemId: third!.item.id,
      action: "label",
      classIds: [a],
    });
    expect(await bob!.queue.next.mutate({ projectId: project.id, mode: "review-generated" })).toBeNull();

    const after = await testDb.db.item.findMany({
      where: { id: { in: generated.map((g) => g.id) } },
      orderBy: { id: "asc" },
    });
    expect(after.map((i) => i.labelOrigin)).toEqual(["human", "human", "human"]);
    expect(after.find((i) => i.id === second!.item.id)!.labelClassIds).toEqual([b]);
  });
});

describe("undo and prefetch", () => {
  it("gives back the undone item first, even when a prefetch leased another item after the undo", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    await addItems(testDb.db, project.id, ["first text", "second text", "third text"]);
    await testDb.db.project.update({
      where: { id: project.id },
      data: { queueRandomShare: 0, queueMislabeledShare: 0 },
    });
    const [client] = await annotators(1);
    const shown = await client!.queue.next.mutate({ projectId: project.id });
    await client!.labels.submit.mutate({
      projectId: project.id,
      itemId: shown!.item.id,
      action: "label",
      classIds: [classes[0]!.id],
    });
    await client!.labels.undo.mutate({ projectId: project.id });
    // The client's prefetch (already in flight when Z was pressed) leases another item after the undo did.
    const prefetched = await client!.queue.next.mutate({ projectId: project.id, exclude: [shown!.item.id] });
    expect(prefetched!.item.id).not.toBe(shown!.item.id);
    const back = await client!.queue.next.mutate({ projectId: project.id });
    expect(back).toMatchObject({ reason: "undo", item: { id: shown!.item.id } });
  });
});
