import type { DbOrTx } from "@/server/db";

export interface UploadRetention {
  /** Imported uploads: the rows are in the project; the file is only kept for a re-run or a look at its report. */
  importedHours: number;
  /** Uploads whose last chunk never arrived (a closed tab, a dropped connection). */
  incompleteHours: number;
  /** Complete uploads that were previewed but never imported. */
  unusedHours: number;
}

export const DEFAULT_UPLOAD_RETENTION: UploadRetention = {
  importedHours: 24,
  incompleteHours: 24,
  unusedHours: 7 * 24,
};

/**
 * Deletes uploaded files (and their chunks, by cascade) that no import will read again. Uploads live in PostgreSQL
 * so that any web replica or worker can read them; without this they would grow the database by every file ever
 * dropped into the wizard. An upload that a queued or running import job refers to is never deleted. Times are
 * compared in UTC, as they are stored.
 */
export async function deleteStaleUploads(db: DbOrTx, retention: UploadRetention = DEFAULT_UPLOAD_RETENTION) {
  const deleted = await db.$queryRaw<{ id: string; byte_size: bigint }[]>`
    DELETE FROM import_upload u
    WHERE (
        (u.imported_at IS NOT NULL AND u.imported_at < (now() AT TIME ZONE 'UTC') - make_interval(hours => ${retention.importedHours}))
        OR (u.completed_at IS NULL AND u.created_at < (now() AT TIME ZONE 'UTC') - make_interval(hours => ${retention.incompleteHours}))
        OR (u.completed_at IS NOT NULL AND u.imported_at IS NULL AND u.completed_at < (now() AT TIME ZONE 'UTC') - make_interval(hours => ${retention.unusedHours}))
      )
      AND NOT EXISTS (
        SELECT 1 FROM job_run j
        WHERE j.type = 'import' AND j.state IN ('queued', 'running') AND j.payload->'data'->>'uploadId' = u.id::text
      )
    RETURNING u.id, u.byte_size`;
  return { uploads: deleted.length, bytes: deleted.reduce((sum, d) => sum + Number(d.byte_size), 0) };
}
