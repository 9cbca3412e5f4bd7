import pg from "pg";

/** One pass that only reads a Float32Array [n × dim]: the memory-bandwidth floor of any scoring pass. */
export function memoryFloor(n: number, dim: number) {
  const a = new Float32Array(n * dim);
  for (let i = 0; i < a.length; i += 1024) a[i] = i; // touch every page before timing
  const t0 = performance.now();
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  const ms = performance.now() - t0;
  return { ms, gbPerSecond: a.byteLength / 2 ** 30 / (ms / 1000), checksum: s };
}

/**
 * Reading every vector of the project out of PostgreSQL (id ranges, no decoding into floats): the floor of any scoring
 * pass that reads vectors by joining items to embedding_cache. Text protocol: pg 8.23 parses every field of a binary
 * result as a UTF-8 string, so a bytea asked for in binary came back as a (lossy) string and was never counted.
 */
export async function databaseReadFloor(url: string, projectId: number, featurizerId: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const t0 = performance.now();
    const { rows } = await client.query<{ lo: number; hi: number }>(
      "SELECT min(id) AS lo, max(id) AS hi FROM item WHERE project_id = $1",
      [projectId],
    );
    const { lo, hi } = rows[0]!;
    let bytes = 0;
    for (let from = lo; from <= hi; from += 20_000) {
      const res = await client.query<{ vector: Buffer }>(
        `SELECT e.vector FROM item i JOIN embedding_cache e ON e.featurizer_id = $2 AND e.content_hash = i.content_hash
         WHERE i.project_id = $1 AND i.id BETWEEN $3 AND $4`,
        [projectId, featurizerId, from, from + 19_999],
      );
      for (const row of res.rows) bytes += row.vector.byteLength;
    }
    const ms = performance.now() - t0;
    return { ms, mb: Math.round(bytes / 2 ** 20) };
  } finally {
    await client.end();
  }
}
