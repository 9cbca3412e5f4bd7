import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { from as copyFrom } from "pg-copy-streams";
import type { PredictionBatch } from "@/server/domain/scoring/insert-predictions";
import { loadTableName } from "@/server/domain/scoring/prediction-partitions";
import { withPgTransaction, type PgPool } from "@/server/pg-pool";

/**
 * Writes a batch into its version's load table (a full scoring; prediction-partitions.ts) as the id range starting
 * at `fromId`, with a binary COPY: the rows go into a table without keys, so each costs little more than its heap
 * tuple. The range is recorded in prediction_load_block in the same transaction, first: a range already
 * recorded (a retried or duplicated chunk; a twin transaction waits on the key, then finds it) writes nothing.
 * Returns the rows written.
 */
export async function loadPredictions(pool: PgPool, batch: PredictionBatch, fromId: number): Promise<number> {
  const n = batch.itemIds.length;
  if (n === 0) return 0;
  return withPgTransaction(pool, async (client) => {
    // A crash may lose this commit, but then it loses the range's marker with its rows, and the retried chunk loads
    // the range again; the attach, which makes the rows visible, commits synchronously. Saves a WAL flush per block.
    await client.query("SET LOCAL synchronous_commit = off");
    const marked = await client.query(
      `INSERT INTO prediction_load_block (model_version_id, from_id, rows) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [batch.modelVersionId, fromId, n],
    );
    if (marked.rowCount === 0) return 0;
    const columns =
      "model_version_id, item_id, project_id, probabilities, predicted_class_ids, confidence, uncertainty, priority, mislabel_score";
    await pipeline(
      Readable.from([copyBinary(batch)]),
      client.query(copyFrom(`COPY "${loadTableName(batch.modelVersionId)}" (${columns}) FROM STDIN (FORMAT binary)`)),
    );
    return n;
  });
}

// COPY's binary format (PostgreSQL docs, "COPY … Binary Format"): a header, per row a field count and each field as
// a big-endian length and value, a -1 trailer. Floats go as their float32 bits and the probabilities as raw bytes:
// nothing is printed or parsed, and nothing is rounded.
const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const INT4_OID = 23;

function copyBinary(batch: PredictionBatch): Buffer {
  const { modelVersionId, projectId, K, itemIds, proba, predicted, confidence, uncertainty, priority, mislabel } =
    batch;
  const n = itemIds.length;
  let size = SIGNATURE.length + 8 + 2;
  // Per row: field count, 3 int4, bytea, int4[] (12-byte header, 8 per dimension, 8 per element), 4 float4.
  for (let i = 0; i < n; i++)
    size += 2 + 3 * 8 + 4 + K * 4 + 4 + 12 + (predicted[i]!.length ? 8 : 0) + 8 * predicted[i]!.length + 4 * 8;
  const out = Buffer.allocUnsafe(size);
  let o = SIGNATURE.copy(out, 0);
  o = out.writeInt32BE(0, o); // flags
  o = out.writeInt32BE(0, o); // header extension length
  const bytes = Buffer.from(proba.buffer, proba.byteOffset, n * K * 4);
  const int4 = (v: number) => {
    o = out.writeInt32BE(4, o);
    o = out.writeInt32BE(v, o);
  };
  const float4 = (v: number) => {
    o = out.writeInt32BE(4, o);
    o = out.writeFloatBE(v, o);
  };
  for (let i = 0; i < n; i++) {
    o = out.writeInt16BE(9, o);
    int4(modelVersionId);
    int4(itemIds[i]!);
    int4(projectId);
    o = out.writeInt32BE(K * 4, o);
    o += bytes.copy(out, o, i * K * 4, (i + 1) * K * 4);
    const ids = predicted[i]!;
    o = out.writeInt32BE(12 + (ids.length ? 8 : 0) + 8 * ids.length, o);
    o = out.writeInt32BE(ids.length ? 1 : 0, o); // dimensions
    o = out.writeInt32BE(0, o); // no nulls
    o = out.writeInt32BE(INT4_OID, o);
    if (ids.length) {
      o = out.writeInt32BE(ids.length, o);
      o = out.writeInt32BE(1, o); // lower bound
      for (const id of ids) int4(id);
    }
    float4(confidence[i]!);
    float4(uncertainty[i]!);
    float4(priority[i]!);
    if (mislabel[i]! < 0) o = out.writeInt32BE(-1, o);
    else float4(mislabel[i]!);
  }
  o = out.writeInt16BE(-1, o);
  return out.subarray(0, o);
}
