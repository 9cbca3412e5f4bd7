import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FEATURIZER_ID } from "@/server/featurizers/create-featurizer";
import { diversifyQueueHead } from "@/server/domain/scoring/diversify-queue-head";
import { addItems, makeProject } from "../helpers/factories";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";
import { ensureVersionPartition } from "@/server/domain/scoring/prediction-partitions";

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

describe("margin + diversity", () => {
  it("moves a batch of the retrain interval to the queue head, with one of each group of near-duplicates", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    await testDb.db.project.update({
      where: { id: project.id },
      data: { strategy: "margin_diversity", retrainEvery: 10, testShare: 0 },
    }); // no arrival draw: every item is rankable
    // The 12 most uncertain items are copies of one confusing text; 20 distinct texts rank below them.
    const copies = Array.from({ length: 12 }, (_, i) => `Shares of the football club fell after the match report ${i}`);
    const distinct = [
      "Rain and storms are expected across the north tomorrow",
      "The central bank raised interest rates again",
      "A new vaccine trial shows promising early results",
      "The striker signed a three year contract",
      "Astronomers found water vapour on a distant planet",
      "Parliament passed the budget after a long night",
      "The chipmaker unveiled a faster laptop processor",
      "Wildfires forced thousands to leave their homes",
      "The museum reopened with a new dinosaur exhibit",
      "Oil prices dropped on weaker demand forecasts",
      "A marathon runner broke the course record",
      "The city opened a new tram line downtown",
      "Scientists mapped the genome of a rare orchid",
      "The airline cancelled flights because of a strike",
      "A startup raised money for electric scooters",
      "The court ruled on the privacy case",
      "Farmers worry about the long dry summer",
      "The orchestra toured five countries this spring",
      "A new smartphone app translates sign language",
      "Teachers voted to accept the pay offer",
    ];
    const ids = await addItems(testDb.db, project.id, [...copies, ...distinct]);
    const version = await testDb.db.modelVersion.create({
      data: {
        projectId: project.id,
        number: 1,
        featurizerId: DEFAULT_FEATURIZER_ID,
        status: "ready",
        params: { classIds: classes.map((c) => c.id) },
        finishedAt: new Date(),
      },
    });
    await ensureVersionPartition(testDb.db, version.id);
    await testDb.db.prediction.createMany({
      data: ids.map((itemId, i) => ({
        modelVersionId: version.id,
        projectId: project.id,
        itemId: itemId!,
        probabilities: new Uint8Array(8),
        predictedClassIds: [classes[0]!.id],
        confidence: 0.5,
        uncertainty: 0.99 - i * 0.01,
        priority: 0.99 - i * 0.01,
      })),
    });

    expect(await diversifyQueueHead(testDb.db, version.id)).toEqual({ moved: 10 });
    const head = await testDb.db.prediction.findMany({
      where: { modelVersionId: version.id, priority: { gt: 1 } },
      orderBy: { priority: "desc" },
    });
    expect(head).toHaveLength(10);
    const copyIds = new Set(ids.slice(0, 12));
    expect(head[0]!.itemId).toBe(ids[0]); // the most uncertain item leads
    expect(head.filter((p) => copyIds.has(p.itemId))).toHaveLength(1);
    // The rest follow in their own uncertainty order.
    expect(head.slice(1).map((p) => p.itemId)).toEqual(ids.slice(12, 21));
  });
});
