import fs from "node:fs/promises";
import path from "node:path";
import type { Db } from "@/server/db";
import { databaseFolder, safe } from "@/server/domain/embeddings/vector-block-file";
import { parseFeaturizerId } from "@/server/featurizers/featurizer-spec";

/** A temporary file older than this was left by a write that died (a write takes well under a second). */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Deletes this host's vector block files that no reader will ask for again: those of deleted projects, those of a
 * featurizer a project no longer uses, and temporary files of writes that died. The files are a disposable cache
 * (PostgreSQL holds the vectors), so deleting one only costs a rebuild; keeping them would fill the disk one deleted
 * project at a time. Each host runs it on its own folder.
 */
export async function removeOrphanBlockFiles(db: Db, now = Date.now()): Promise<{ folders: number; files: number }> {
  const [row] = await db.$queryRaw<{ database: string }[]>`SELECT current_database() AS database`;
  const root = databaseFolder(row!.database);
  const featurizerDirs = await fs.readdir(root).catch(() => [] as string[]);
  const projectDirs = new Map<string, string[]>();
  const ids = new Set<number>();
  for (const f of featurizerDirs) {
    const dirs = await fs.readdir(path.join(root, f)).catch(() => [] as string[]);
    projectDirs.set(f, dirs);
    for (const d of dirs) if (/^\d+$/.test(d)) ids.add(Number(d));
  }
  // The dense featurizer each project's blocks are filed under (a hybrid's vectors are its dense block's).
  const projects = await db.project.findMany({
    where: { id: { in: [...ids] } },
    select: { id: true, featurizerId: true },
  });
  const folderOf = new Map(projects.map((p) => [p.id, safe(parseFeaturizerId(p.featurizerId).dense)]));
  let folders = 0;
  let files = 0;
  for (const [f, dirs] of projectDirs) {
    for (const d of dirs) {
      const dir = path.join(root, f, d);
      if (!/^\d+$/.test(d) || folderOf.get(Number(d)) !== f) {
        await fs.rm(dir, { recursive: true, force: true });
        folders++;
        continue;
      }
      for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
        if (!name.endsWith(".tmp")) continue;
        const stat = await fs.stat(path.join(dir, name)).catch(() => null);
        if (stat && now - stat.mtimeMs > STALE_TEMP_MS) {
          await fs.rm(path.join(dir, name), { force: true });
          files++;
        }
      }
    }
  }
  return { folders, files };
}
