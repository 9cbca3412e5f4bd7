import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelProbabilities } from "@/ml/model-probabilities";
import { embedProject } from "@/server/domain/embeddings/embed-project";
import { embedTexts } from "@/server/domain/embeddings/embed-texts";
import { readItemVectors } from "@/server/domain/embeddings/read-item-vectors";
import { readItemsVectors } from "@/server/domain/embeddings/read-items-vectors";
import { readVectorBlock } from "@/server/domain/embeddings/read-vector-block";
import { removeOrphanBlockFiles } from "@/server/domain/embeddings/remove-orphan-block-files";
import {
  blockFilePath,
  HASH_BYTES,
  hashBytes,
  readBlockFile,
  removeBlockFiles,
  writeBlockFile,
} from "@/server/domain/embeddings/vector-block-file";
import { BLOCK_IDS, blockOf } from "@/server/domain/embeddings/vector-block-range";
import { float32FromBytes } from "@/server/domain/embeddings/vector-bytes";
import { contentHash } from "@/server/domain/items/content-hash";
import { insertPredictions } from "@/server/domain/scoring/insert-predictions";
import { scoreItemRange } from "@/server/domain/scoring/score-item-range";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";
import type { Featurizer } from "@/server/featurizers/featurizer";
import { addItems, makeProject, readJsonl } from "../helpers/factories";
import { importText } from "../helpers/import-helpers";
import { makeActiveModelVersion } from "../helpers/model-version";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";
import { attachLoadedPredictions, ensureVersionPartition } from "@/server/domain/scoring/prediction-partitions";

const FEATURIZER = "glove-sif-200@1";
const noHooks = { log: async () => undefined, progress: async () => undefined, throwIfCancelled: async () => {} };
const rows = await readJsonl<{ text: string; label: string }>(
  path.resolve(import.meta.dirname, "../fixtures/ag-news-2000.jsonl"),
);

let testDb: TestDatabase;
let featurizer: Featurizer;
beforeAll(async () => {
  testDb = await createTestDatabase();
  featurizer = await getFeaturizer(FEATURIZER);
});
afterAll(async () => {
  await testDb.drop();
});

async function projectWith(texts: string[]) {
  const { project } = await makeProject(testDb.db, { featurizerId: FEATURIZER, classes: ["World", "Sports"] });
  const ids = await addItems(testDb.db, project.id, texts);
  return { projectId: project.id, ids };
}

async function blockRows(projectId: number, featurizerId = FEATURIZER) {
  return testDb.db.vectorBlock.findMany({ where: { projectId, featurizerId }, orderBy: { blockNo: "asc" } });
}

/** The project's vectors straight from the source of truth (item → embedding_cache), in id order. */
async function sourceVectors(projectId: number, lo: number, hi: number) {
  return (await readItemVectors(testDb.db, featurizer, projectId, lo, hi, 1_000_000))!;
}

describe("vector blocks", () => {
  it("are written by the embed job, as rows and as this host's files, and read back equal to the cached vectors", async () => {
    const { projectId, ids } = await projectWith(rows.slice(0, 300).map((r) => r.text));
    await embedProject(testDb.db, { projectId }, noHooks);
    const blocks = await blockRows(projectId);
    expect(blocks.flatMap((b) => b.itemIds)).toEqual([...ids].sort((a, b) => a - b));
    for (const block of blocks) {
      expect(block.blockNo).toBe(blockOf(block.itemIds[0]!));
      const source = await sourceVectors(projectId, block.blockNo * BLOCK_IDS, (block.blockNo + 1) * BLOCK_IDS - 1);
      expect(Array.from(source.ids)).toEqual(block.itemIds);
      expect(float32FromBytes(block.vectors, block.itemIds.length * featurizer.dim)).toEqual(source.X);
      const file = blockFilePath(new URL(testDb.url).pathname.slice(1), FEATURIZER, projectId, block.blockNo);
      expect((await readBlockFile(file, featurizer.dim))!.X).toEqual(source.X);
      const read = await readVectorBlock(testDb.db, featurizer, projectId, block.blockNo);
      expect(Array.from(read!.ids)).toEqual(block.itemIds);
      expect(read!.X).toEqual(source.X);
    }
  });

  it("take in items an import adds to a block's range", async () => {
    const { projectId, ids } = await projectWith(rows.slice(300, 320).map((r) => r.text));
    await embedProject(testDb.db, { projectId }, noHooks);
    const added = rows.slice(320, 330).map((r) => r.text);
    const report = await importText(projectId, added.map((text) => JSON.stringify({ text })).join("\n"), {
      format: "jsonl",
      mapping: { text: "text" },
    });
    expect(report.committed).toBe(true);
    const items = await testDb.db.item.findMany({ where: { projectId }, orderBy: { id: "asc" } });
    expect(items).toHaveLength(30);
    const lastBlock = blockOf(items[items.length - 1]!.id);

    // The block on file predates the import: the reader notices and rebuilds it, embedding the new texts.
    const read = await readVectorBlock(testDb.db, featurizer, projectId, lastBlock);
    const inBlock = items.filter((item) => blockOf(item.id) === lastBlock);
    expect(Array.from(read!.ids)).toEqual(inBlock.map((item) => item.id));
    const newRows = inBlock.flatMap((item, r) => (ids.includes(item.id) ? [] : [r]));
    expect(newRows.length).toBeGreaterThan(0);
    const expected = await featurizer.embed(newRows.map((r) => inBlock[r]!.text));
    newRows.forEach((r, k) =>
      expect(read!.X.subarray(r * featurizer.dim, (r + 1) * featurizer.dim)).toEqual(
        expected.subarray(k * featurizer.dim, (k + 1) * featurizer.dim),
      ),
    );
    const row = (await blockRows(projectId)).find((b) => b.blockNo === lastBlock)!;
    expect(row.itemIds).toEqual(inBlock.map((item) => item.id));
  });

  it("are rebuilt when an item is deleted, and served from whichever copy is intact", async () => {
    const { projectId, ids } = await projectWith(rows.slice(400, 440).map((r) => r.text));
    await embedProject(testDb.db, { projectId }, noHooks);
    const blockNo = blockOf(ids[10]!);
    const reference = await sourceVectors(projectId, 0, 2 ** 31 - 1);
    const database = new URL(testDb.url).pathname.slice(1);
    const file = blockFilePath(database, FEATURIZER, projectId, blockNo);

    await testDb.db.item.delete({ where: { id: ids[10]! } });
    const afterDelete = (await readVectorBlock(testDb.db, featurizer, projectId, blockNo))!;
    expect(Array.from(afterDelete.ids)).not.toContain(ids[10]);
    expect((await blockRows(projectId)).find((b) => b.blockNo === blockNo)!.itemIds).not.toContain(ids[10]);
    expect(Array.from((await readBlockFile(file, featurizer.dim))!.ids)).toEqual(Array.from(afterDelete.ids));
    const kept = Array.from(afterDelete.ids);
    const rowsOf = (X: Float32Array, from: number[], all: number[]) =>
      from.map((id) =>
        Array.from(X.subarray(all.indexOf(id) * featurizer.dim, (all.indexOf(id) + 1) * featurizer.dim)),
      );
    expect(rowsOf(afterDelete.X, kept, kept)).toEqual(rowsOf(reference.X, kept, Array.from(reference.ids)));

    // The stored row gone: this host's file still serves the block; both gone: rebuilt from the cache.
    await testDb.db.vectorBlock.deleteMany({ where: { projectId } });
    expect(await readVectorBlock(testDb.db, featurizer, projectId, blockNo)).toEqual(afterDelete);
    expect(await blockRows(projectId)).toHaveLength(0);
    await removeBlockFiles(database);
    expect(await readVectorBlock(testDb.db, featurizer, projectId, blockNo)).toEqual(afterDelete);
    expect((await blockRows(projectId)).map((b) => b.blockNo)).toContain(blockNo);
    expect(await readBlockFile(file, featurizer.dim)).not.toBeNull();

    // A truncated file: read from the stored row and written whole again.
    await fs.truncate(file, 100);
    expect(await readVectorBlock(testDb.db, featurizer, projectId, blockNo)).toEqual(afterDelete);
    expect((await readBlockFile(file, featurizer.dim))!.X).toEqual(afterDelete.X);

    // Damaged stored bytes and no file: rebuilt.
    await removeBlockFiles(database);
    await testDb.db
      .$executeRaw`UPDATE vector_block SET vectors = substring(vectors FROM 1 FOR 8) WHERE project_id = ${projectId}`;
    expect(await readVectorBlock(testDb.db, featurizer, projectId, blockNo)).toEqual(afterDelete);
    const row = (await blockRows(projectId)).find((b) => b.blockNo === blockNo)!;
    expect(row.vectors.byteLength).toBe(row.itemIds.length * featurizer.dim * 4);

    // A file whose fingerprint is not the items' (another database's project with the same ids) is never used.
    const foreign = {
      fingerprint: "0".repeat(32),
      ids: afterDelete.ids,
      hashes: new Uint8Array(afterDelete.ids.length * HASH_BYTES),
      X: new Float32Array(afterDelete.X.length),
    };
    await writeBlockFile(file, featurizer.dim, foreign);
    expect(await readVectorBlock(testDb.db, featurizer, projectId, blockNo)).toEqual(afterDelete);
  });

  it("do not serve a file whose item kept its id but changed its content hash", async () => {
    const { projectId, ids } = await projectWith(rows.slice(1500, 1520).map((r) => r.text));
    await embedProject(testDb.db, { projectId }, noHooks);
    const sorted = [...ids].sort((a, b) => a - b);
    const blockNo = blockOf(sorted[3]!);
    const before = (await readVectorBlock(testDb.db, featurizer, projectId, blockNo))!;
    // Items never change their text in the product; the file's fingerprint covers the hashes all the same. (The
    // stored row is checked by its ids only, so it is removed here to leave the file as the copy on trial.)
    const text = rows[1530]!.text;
    await testDb.db.item.update({ where: { id: sorted[3]! }, data: { text, contentHash: contentHash(text) } });
    await testDb.db.vectorBlock.deleteMany({ where: { projectId } });
    const after = (await readVectorBlock(testDb.db, featurizer, projectId, blockNo))!;
    expect(after.ids).toEqual(before.ids);
    const at = Array.from(after.ids).indexOf(sorted[3]!);
    const dim = featurizer.dim;
    expect(after.X.subarray(at * dim, (at + 1) * dim)).toEqual((await featurizer.embed([text])).subarray(0, dim));
    expect(after.X.subarray(0, at * dim)).toEqual(before.X.subarray(0, at * dim));
    const file = blockFilePath(new URL(testDb.url).pathname.slice(1), FEATURIZER, projectId, blockNo);
    expect((await readBlockFile(file, dim))!.X).toEqual(after.X);
  });

  it("keep one copy per featurizer, so re-embedding under another leaves the first intact", async () => {
    const { projectId, ids } = await projectWith(rows.slice(500, 510).map((r) => r.text));
    await embedProject(testDb.db, { projectId }, noHooks);
    const before = await blockRows(projectId);
    const mean = await getFeaturizer("glove-mean-100@1");
    const read = await readVectorBlock(testDb.db, mean, projectId, blockOf(ids[0]!));
    expect(read!.X.length).toBe(read!.ids.length * 100);
    expect(read!.X.subarray(0, 100)).toEqual((await mean.embed([rows[500]!.text])).subarray(0, 100));
    expect(await blockRows(projectId, mean.id)).toHaveLength(1);
    expect(await blockRows(projectId)).toEqual(before);
  });

  it("clip reads to an id range and skip the items a version has scored", async () => {
    const { projectId, ids } = await projectWith(rows.slice(600, 650).map((r) => r.text));
    const sorted = [...ids].sort((a, b) => a - b);
    const blockNo = blockOf(sorted[0]!);
    const inBlock = sorted.filter((id) => blockOf(id) === blockNo);
    const all = (await readVectorBlock(testDb.db, featurizer, projectId, blockNo))!;
    const from = inBlock[5]!;
    const to = inBlock[Math.min(20, inBlock.length - 1)]!;
    const clipped = (await readVectorBlock(testDb.db, featurizer, projectId, blockNo, { fromId: from, toId: to }))!;
    expect(Array.from(clipped.ids)).toEqual(inBlock.filter((id) => id >= from && id <= to));
    expect(clipped.X).toEqual(all.X.subarray(5 * featurizer.dim, (5 + clipped.ids.length) * featurizer.dim));

    const version = await testDb.db.modelVersion.create({
      data: { projectId, number: 1, featurizerId: FEATURIZER, status: "ready", params: { classIds: [] } },
    });
    const scored = inBlock.filter((_, i) => i % 3 === 0);
    const one = new Float32Array(scored.length);
    await ensureVersionPartition(testDb.db, version.id);
    await insertPredictions(testDb.db, {
      modelVersionId: version.id,
      projectId,
      K: 1,
      itemIds: scored,
      proba: one.fill(1),
      predicted: scored.map(() => []),
      confidence: one,
      uncertainty: one,
      priority: one,
      mislabel: new Float32Array(scored.length).fill(-1),
    });
    const rest = (await readVectorBlock(testDb.db, featurizer, projectId, blockNo, {
      unscoredBy: version.id,
      withText: true,
    }))!;
    const expectedIds = inBlock.filter((id) => !scored.includes(id));
    expect(Array.from(rest.ids)).toEqual(expectedIds);
    const texts = await testDb.db.item.findMany({ where: { id: { in: expectedIds } }, orderBy: { id: "asc" } });
    expect(rest.texts).toEqual(texts.map((t) => t.text));
    expectedIds.forEach((id, r) => {
      const a = inBlock.indexOf(id);
      expect(rest.X.subarray(r * featurizer.dim, (r + 1) * featurizer.dim)).toEqual(
        all.X.subarray(a * featurizer.dim, (a + 1) * featurizer.dim),
      );
    });
  });

  it("feed the score job: every item scored once, from stale and missing blocks alike, as from the cache", async () => {
    const texts = rows.slice(700, 1000).map((r) => r.text);
    const { projectId, ids } = await projectWith(texts);
    await embedProject(testDb.db, { projectId }, noHooks);
    await addItems(
      testDb.db,
      projectId,
      rows.slice(1000, 1010).map((r) => r.text),
    ); // a stale last block
    const { version, model } = await makeActiveModelVersion(testDb.db, projectId, {
      World: rows
        .filter((r) => r.label === "World")
        .slice(0, 20)
        .map((r) => r.text),
      Sports: rows
        .filter((r) => r.label === "Sports")
        .slice(0, 20)
        .map((r) => r.text),
    });
    const classes = await testDb.db.labelClass.findMany({ where: { projectId }, orderBy: { name: "asc" } });
    await testDb.db.modelVersion.update({
      where: { id: version.id },
      data: { params: { classIds: model.classes.map((name) => classes.find((c) => c.name === name)!.id) } },
    });
    await testDb.db.vectorBlock.deleteMany({ where: { projectId, blockNo: blockOf(ids[0]!) } }); // a missing one
    const lo = Math.min(...ids);
    const hi = lo + 10 * BLOCK_IDS;

    // Not ranked yet: the range goes to the version's load table; a second run (a retried chunk) finds every block
    // recorded and writes nothing; nothing is visible until the attach.
    expect((await scoreItemRange(testDb.db, version.id, lo, hi)).scored).toBe(310);
    expect((await scoreItemRange(testDb.db, version.id, lo, hi)).scored).toBe(0);
    expect(await testDb.db.prediction.count({ where: { modelVersionId: version.id } })).toBe(0);
    expect(await attachLoadedPredictions(testDb.db, version.id)).toEqual({ attached: true });
    expect(await attachLoadedPredictions(testDb.db, version.id)).toEqual({ attached: false });
    // Ranked: a full pass again is insert-if-absent.
    expect((await scoreItemRange(testDb.db, version.id, lo, hi)).scored).toBe(310);
    const predictions = await testDb.db.prediction.findMany({
      where: { modelVersionId: version.id },
      orderBy: { itemId: "asc" },
    });
    expect(predictions).toHaveLength(310);
    const source = await sourceVectors(projectId, lo, hi);
    expect(predictions.map((p) => p.itemId)).toEqual(Array.from(source.ids));
    const proba = modelProbabilities(model, { n: source.ids.length, dense: source.X, texts: null });
    const K = model.classes.length;
    predictions.forEach((p, i) =>
      expect(float32FromBytes(new Uint8Array(p.probabilities), K)).toEqual(proba.subarray(i * K, (i + 1) * K)),
    );
    expect((await scoreItemRange(testDb.db, version.id, lo, hi, undefined, { missingOnly: true })).scored).toBe(0);
  });

  it("are tidied on this host: folders of deleted projects and of a featurizer a project left, and dead temp files", async () => {
    const [row] = await testDb.db.$queryRaw<{ database: string }[]>`SELECT current_database() AS database`;
    const database = row!.database;
    await removeOrphanBlockFiles(testDb.db); // what the tests above left behind (a featurizer a project left, …)
    const kept = await projectWith(rows.slice(0, 20).map((r) => r.text));
    const hybrid = await makeProject(testDb.db, {
      featurizerId: `ngrams@1+${FEATURIZER}`,
      classes: ["World", "Sports"],
    });
    const deleted = await projectWith(rows.slice(20, 40).map((r) => r.text));
    const block = {
      fingerprint: "f".repeat(32),
      ids: Int32Array.of(1, 2),
      hashes: new Uint8Array(2 * HASH_BYTES),
      X: new Float32Array(2 * 200),
    };
    const files = {
      kept: blockFilePath(database, FEATURIZER, kept.projectId, 0),
      hybrid: blockFilePath(database, FEATURIZER, hybrid.project.id, 3),
      deleted: blockFilePath(database, FEATURIZER, deleted.projectId, 0),
      otherFeaturizer: blockFilePath(database, "glove-mean-100@1", kept.projectId, 0),
    };
    for (const f of Object.values(files)) await writeBlockFile(f, 200, block);
    const dir = path.dirname(files.kept);
    const deadTemp = path.join(dir, "0.bin.dead.tmp");
    const liveTemp = path.join(dir, "1.bin.live.tmp");
    await fs.writeFile(deadTemp, "x");
    await fs.writeFile(liveTemp, "x");
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await fs.utimes(deadTemp, twoHoursAgo, twoHoursAgo);
    await testDb.db.project.delete({ where: { id: deleted.projectId } });

    expect(await removeOrphanBlockFiles(testDb.db)).toEqual({ folders: 2, files: 1 });
    const exists = (f: string) =>
      fs.stat(f).then(
        () => true,
        () => false,
      );
    expect(await exists(files.kept)).toBe(true);
    expect(await exists(files.hybrid)).toBe(true);
    expect(await exists(liveTemp)).toBe(true);
    expect(await exists(files.deleted)).toBe(false);
    expect(await exists(files.otherFeaturizer)).toBe(false);
    expect(await exists(deadTemp)).toBe(false);
    expect(await removeOrphanBlockFiles(testDb.db)).toEqual({ folders: 0, files: 0 });
  });
  it("serve training: a dense set of items is read from the stored blocks, a sparse one or an unstored block by lookup", async () => {
    const { projectId } = await projectWith(rows.slice(400, 700).map((r) => r.text));
    const items = await testDb.db.item.findMany({
      where: { projectId },
      select: { id: true, contentHash: true },
      orderBy: { id: "asc" },
    });
    // Shuffled, and one item twice: the result follows the input order.
    const refs = [...items.slice(150), ...items.slice(0, 150), items[7]!].map((i) => ({
      itemId: i.id,
      contentHash: i.contentHash,
    }));
    // Before the embed job stored any block, training looks vectors up (and builds no block).
    const beforeBlocks = await readItemsVectors(testDb.db, featurizer, projectId, refs, { minItemsPerBlock: 1 });
    expect(await blockRows(projectId)).toHaveLength(0);
    const expected = await embedTexts(testDb.db, featurizer, refs, { projectId });
    expect(beforeBlocks).toEqual(expected);

    await embedProject(testDb.db, { projectId }, noHooks);
    // With the cached vectors gone and a featurizer that cannot embed, only the block path can answer.
    await testDb.db.embeddingCache.deleteMany({
      where: { featurizerId: FEATURIZER, contentHash: { in: items.map((i) => i.contentHash) } },
    });
    const noEmbed: Featurizer = {
      ...featurizer,
      embed: async () => {
        throw new Error("embedding is not expected here");
      },
    };
    const progress: number[] = [];
    const fromBlocks = await readItemsVectors(testDb.db, noEmbed, projectId, refs, {
      minItemsPerBlock: 1,
      shared: true,
      onProgress: async (done) => void progress.push(done),
    });
    expect(fromBlocks.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(fromBlocks)).toEqual(Array.from(expected));
    expect(progress.at(-1)).toBe(refs.length);
    // The same items judged too sparse for their blocks go through the lookups, which here must embed and fail.
    await expect(
      readItemsVectors(testDb.db, noEmbed, projectId, refs, { minItemsPerBlock: 1_000_000 }),
    ).rejects.toThrow(/not expected/);

    // An item deleted after the blocks were stored: its row in the file still holds its content hash's vector (or,
    // with the file gone, the block is rebuilt without it and the item is looked up by its hash): never a wrong row.
    await embedTexts(testDb.db, featurizer, refs, { projectId });
    const gone = items[20]!;
    await testDb.db.item.delete({ where: { id: gone.id } });
    const afterDelete = await readItemsVectors(testDb.db, featurizer, projectId, refs, { minItemsPerBlock: 1 });
    expect(Array.from(afterDelete)).toEqual(Array.from(expected));
  });

  it("serve training from this host's files by content hash: a row is taken only with the item's id and hash", async () => {
    const { projectId } = await projectWith(rows.slice(1100, 1400).map((r) => r.text));
    await embedProject(testDb.db, { projectId }, noHooks);
    const items = await testDb.db.item.findMany({
      where: { projectId },
      select: { id: true, contentHash: true },
      orderBy: { id: "asc" },
    });
    const refs = items.map((i) => ({ itemId: i.id, contentHash: i.contentHash }));
    const expected = await embedTexts(testDb.db, featurizer, refs, { projectId });
    const dim = featurizer.dim;
    const blockNo = blockOf(items[0]!.id);
    const file = blockFilePath(new URL(testDb.url).pathname.slice(1), FEATURIZER, projectId, blockNo);
    const onFile = (await readBlockFile(file, dim))!;
    expect(Array.from(onFile.ids)).toEqual(items.filter((i) => blockOf(i.id) === blockNo).map((i) => i.id));

    // A doctored file: every vector 7, the hashes of rows 10–19 zero and of rows 20–29 another text's. Rows with the
    // item's hash are taken as they are (the file is trusted per row, by hash); the others are looked up.
    const hashes = hashBytes(items.filter((i) => blockOf(i.id) === blockNo).map((i) => i.contentHash));
    hashes.fill(0, 10 * HASH_BYTES, 20 * HASH_BYTES);
    for (let r = 20; r < 30; r++) hashes.set(hashes.subarray(40 * HASH_BYTES, 41 * HASH_BYTES), r * HASH_BYTES);
    const sevens = new Float32Array(onFile.X.length).fill(7);
    await writeBlockFile(file, dim, { fingerprint: "d".repeat(32), ids: onFile.ids, hashes, X: sevens });
    const row = (X: Float32Array, r: number) => Array.from(X.subarray(r * dim, (r + 1) * dim));
    const read = await readItemsVectors(testDb.db, featurizer, projectId, refs, { minItemsPerBlock: 100 });
    refs.forEach((ref, r) => {
      const fromFile = blockOf(ref.itemId) === blockNo && (r < 10 || r >= 30);
      expect(row(read, r)).toEqual(fromFile ? row(sevens, 0) : row(expected, r));
    });

    // As many misses as minItemsPerBlock: the block is read through its check instead, which rewrites the file.
    await readItemsVectors(testDb.db, featurizer, projectId, refs, { minItemsPerBlock: 20 });
    expect((await readBlockFile(file, dim))!.X).toEqual(onFile.X);
    expect(await readItemsVectors(testDb.db, featurizer, projectId, refs, { minItemsPerBlock: 100 })).toEqual(expected);

    // Items imported into the block after its file was written are not on it: looked up, the file left as it is.
    const added = await addItems(
      testDb.db,
      projectId,
      rows.slice(1400, 1405).map((r) => r.text),
    );
    const more = await testDb.db.item.findMany({
      where: { id: { in: added } },
      select: { id: true, contentHash: true },
      orderBy: { id: "asc" },
    });
    const all = [...refs, ...more.map((i) => ({ itemId: i.id, contentHash: i.contentHash }))];
    expect(await readItemsVectors(testDb.db, featurizer, projectId, all, { minItemsPerBlock: 50 })).toEqual(
      await embedTexts(testDb.db, featurizer, all, { projectId }),
    );
  });
});
