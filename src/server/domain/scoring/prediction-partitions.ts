import type { Db, DbOrTx, Tx } from "@/server/db";
import { AppError } from "@/server/errors";

/*
 * The prediction store (docs/decisions/prediction-store.md): `prediction` is LIST-partitioned by model version, one
 * partition per version. A full scoring writes into a load table without indexes (`prediction_v<id>_load`), then
 * one transaction indexes it, renames it to `prediction_v<id>`, attaches it and sets the version's ranked_at: readers
 * see none or all of a version's ranking. Writes to a version that is already ranked (items imported since, a
 * zero-shot sample) go through `prediction` into its partition, insert-if-absent.
 */

// Every object name is derived from the integer id, so interpolating it into DDL is safe.
function versionId(id: number): number {
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`invalid model version id ${id}`);
  return id;
}
const partition = (id: number) => `prediction_v${versionId(id)}`;

/** The name of a version's load table (load-predictions.ts writes into it). */
export function loadTableName(modelVersionId: number): string {
  return `prediction_v${versionId(modelVersionId)}_load`;
}

// Per-version lock (two-key advisory lock, namespace 0x70726564 = "pred") around creating and attaching, so that two
// score jobs of one version never race on the same DDL.
async function lockVersion(tx: Tx, modelVersionId: number) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${0x70726564}::int, ${versionId(modelVersionId)}::int)`;
}

// Plain table, no indexes, no constraints beyond NOT NULL: rows go in at the cost of the heap alone. Called under
// the version's lock, so it never races its own attach.
async function createLoadTableIfMissing(tx: DbOrTx, modelVersionId: number): Promise<void> {
  const table = loadTableName(modelVersionId);
  const [row] = await tx.$queryRaw<{ found: boolean }[]>`SELECT to_regclass(${table}) IS NOT NULL AS found`;
  if (!row?.found) await tx.$executeRawUnsafe(`CREATE TABLE "${table}" (LIKE prediction)`);
}

/** The version's index set, built once on a loaded table (names are per partition; attach matches them by shape). */
function indexStatements(table: string, id: number): string[] {
  return [
    `ALTER TABLE "${table}" ADD CONSTRAINT "${partition(id)}_pkey" PRIMARY KEY (model_version_id, item_id)`,
    `CREATE INDEX "${partition(id)}_priority_idx" ON "${table}" (priority DESC)`,
    `CREATE INDEX "${partition(id)}_uncertainty_idx" ON "${table}" (uncertainty, item_id)`,
    // Only flagged human labels have a score: a partial index stays tiny (the parent declares none, see schema).
    `CREATE INDEX "${partition(id)}_mislabel_idx" ON "${table}" (mislabel_score DESC) WHERE mislabel_score IS NOT NULL`,
    // Lets ATTACH skip its scan: the constraint proves every row belongs to the partition.
    `ALTER TABLE "${table}" ADD CONSTRAINT "${partition(id)}_version" CHECK (model_version_id = ${id})`,
  ];
}

/**
 * Whether the version's predictions go to its load table (it is not ranked yet), creating the table if it is
 * missing. Checked under the version's lock, so a table is never created again after the attach renamed it.
 */
export async function prepareLoad(db: Db, modelVersionId: number): Promise<boolean> {
  return db.$transaction(async (tx) => {
    await lockVersion(tx, modelVersionId);
    const [version] = await tx.$queryRaw<{ ranked: boolean }[]>`
      SELECT ranked_at IS NOT NULL AS ranked FROM model_version WHERE id = ${modelVersionId}`;
    if (!version) throw new AppError("NOT_FOUND", `Model version ${modelVersionId} does not exist`);
    if (version.ranked) return false;
    await createLoadTableIfMissing(tx, modelVersionId);
    return true;
  });
}

/**
 * Makes the version's loaded predictions its partition in one transaction: builds the indexes (one sort each),
 * attaches the table and sets ranked_at. Idempotent: a version already ranked is left alone. A version with no load
 * table (nothing was scored) gets an empty partition, so later writes have a place to go.
 */
export async function attachLoadedPredictions(db: Db, modelVersionId: number): Promise<{ attached: boolean }> {
  return db.$transaction(
    async (tx) => {
      await lockVersion(tx, modelVersionId);
      const [version] = await tx.$queryRaw<{ ranked: boolean }[]>`
        SELECT ranked_at IS NOT NULL AS ranked FROM model_version WHERE id = ${modelVersionId} FOR UPDATE`;
      if (!version) throw new AppError("NOT_FOUND", `Model version ${modelVersionId} does not exist`);
      if (version.ranked) return { attached: false };
      await createLoadTableIfMissing(tx, modelVersionId);
      const table = loadTableName(modelVersionId);
      // Each build sorts once; a larger sort memory keeps a million rows' sort in memory.
      await tx.$executeRawUnsafe(`SET LOCAL maintenance_work_mem = '256MB'`);
      for (const statement of indexStatements(table, modelVersionId)) await tx.$executeRawUnsafe(statement);
      // Statistics before anyone reads it (autovacuum may be off, and is a minute late at best): without them the
      // planner took the second-look pick through the primary key on the constant version column, a bitmap of every
      // row (92 ms per pick at 1M items, 1 ms with them; this costs ~0.15 s once).
      await tx.$executeRawUnsafe(`ANALYZE "${table}" (model_version_id, mislabel_score)`);
      await tx.$executeRawUnsafe(`ALTER TABLE "${table}" RENAME TO "${partition(modelVersionId)}"`);
      await tx.$executeRawUnsafe(
        `ALTER TABLE prediction ATTACH PARTITION "${partition(modelVersionId)}" FOR VALUES IN (${modelVersionId})`,
      );
      await tx.$executeRaw`DELETE FROM prediction_load_block WHERE model_version_id = ${modelVersionId}`;
      await tx.$executeRaw`UPDATE model_version SET ranked_at = now() WHERE id = ${modelVersionId}`;
      return { attached: true };
    },
    // Index builds over a million rows take seconds, more on a loaded machine.
    { timeout: 10 * 60_000 },
  );
}

/**
 * Gives a version an (empty) partition now, if it has none: for versions whose predictions arrive a batch at a time
 * (a zero-shot sample) and for tests that write predictions directly. Sets ranked_at like an attach.
 */
export async function ensureVersionPartition(db: Db, modelVersionId: number): Promise<void> {
  await attachLoadedPredictions(db, modelVersionId);
}

/**
 * Drops the predictions of the given versions (their partitions and any unfinished load tables): the domain's
 * replacement for the foreign-key cascade. Dropping a partition locks `prediction` exclusively until the transaction
 * ends, so callers do it last in their transaction.
 */
export async function dropVersionPredictions(tx: Tx, modelVersionIds: number[]): Promise<void> {
  for (const id of modelVersionIds) {
    await tx.$executeRawUnsafe(`DROP TABLE IF EXISTS "${partition(id)}", "${loadTableName(id)}"`);
  }
}
