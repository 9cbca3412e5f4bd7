import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeProbabilities } from "@/server/domain/scoring/probability-bytes";
import { createTestDatabaseAndServer, signIn, type ApiServer } from "../helpers/api-server";
import { addItems, joinEveryProject, makeProject, makeUser, TEST_PASSWORD } from "../helpers/factories";
import { makeActiveModelVersion } from "../helpers/model-version";
import type { TestDatabase } from "../helpers/test-database";
import { ensureVersionPartition } from "@/server/domain/scoring/prediction-partitions";

let testDb: TestDatabase;
let server: ApiServer;
beforeAll(async () => {
  ({ testDb, server } = await createTestDatabaseAndServer());
});
afterAll(() => testDb.drop());

describe("second looks", () => {
  it("come only from a model whose cross-validated macro-F1 reaches the bar, and never on the annotator's own label of this session", async () => {
    const { project, classes } = await makeProject(testDb.db, {
      name: "Second looks",
      classes: ["Sports", "Business"],
    });
    await testDb.db.project.update({
      where: { id: project.id },
      data: { queueMislabeledShare: 1, queueRandomShare: 0, testBoostShare: 0, secondLookMinF1: 0.7 },
    });
    const [itemId] = await addItems(testDb.db, project.id, ["The striker scored twice in the cup final"]);
    await testDb.db.item.update({ where: { id: itemId! }, data: { split: "train" } });
    const user = await makeUser(testDb.db, "annotator");
    await joinEveryProject(testDb.db, user.id);
    const first = (await signIn(server.url, user.email, TEST_PASSWORD)).client;
    // The annotator labels it Business; then a model trained afterwards strongly disagrees.
    await first.labels.submit.mutate({
      projectId: project.id,
      itemId: itemId!,
      action: "label",
      classIds: [classes[1]!.id],
      durationMs: 800,
    });
    await new Promise((r) => setTimeout(r, 20));
    const { version } = await makeActiveModelVersion(testDb.db, project.id, {
      Sports: ["The team won the match", "A late goal sealed the league title"],
      Business: ["Shares fell after the profit warning", "The bank raised its interest rate"],
    });
    await testDb.db.modelVersion.update({
      where: { id: version.id },
      data: {
        params: { classIds: classes.map((c) => c.id) },
        metrics: { crossValidated: { n: 4, macro: { f1: 0.55 } } },
      },
    });
    await ensureVersionPartition(testDb.db, version.id);
    await testDb.db.prediction.create({
      data: {
        modelVersionId: version.id,
        itemId: itemId!,
        projectId: project.id,
        probabilities: encodeProbabilities(Float32Array.from([0.95, 0.05]), 0, 2),
        predictedClassIds: [classes[0]!.id],
        confidence: 0.95,
        uncertainty: 0.1,
        priority: 0,
        mislabelScore: 0.9,
      },
    });
    const other = await makeUser(testDb.db, "annotator");
    await joinEveryProject(testDb.db, other.id);
    const second = (await signIn(server.url, other.email, TEST_PASSWORD)).client;

    // Cross-validated macro-F1 55% < the 70% bar: no second look, for anybody.
    expect(await second.queue.next.mutate({ projectId: project.id })).toBeNull();

    await testDb.db.modelVersion.update({
      where: { id: version.id },
      data: { metrics: { crossValidated: { n: 4, macro: { f1: 0.8 } } } },
    });
    // Above the bar: not for the annotator who gave the label in this session…
    expect(await first.queue.next.mutate({ projectId: project.id })).toBeNull();
    // …but for another annotator, and for the same one in a later session.
    const served = await second.queue.next.mutate({ projectId: project.id });
    expect(served).toMatchObject({ reason: "mislabeled", item: { id: itemId } });
    await testDb.db.item.update({
      where: { id: itemId! },
      data: { leasedById: null, leaseExpiresAt: null, leaseReason: null },
    });
    await new Promise((r) => setTimeout(r, 20));
    const later = (await signIn(server.url, user.email, TEST_PASSWORD)).client;
    expect(await later.queue.next.mutate({ projectId: project.id })).toMatchObject({
      reason: "mislabeled",
      item: { id: itemId },
    });
  });
});
