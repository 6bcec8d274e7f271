import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Db } from "../db/connection.ts";
import { SCHEDULES } from "./schedules.ts";
import type { JobSpec } from "./types.ts";

const BACKUP_FILE = /^lifelong-\d{8}-\d{6}\.db$/;

/** `lifelong-20261128-033000.db` (UTC), so that name order is time order. */
export function backupFileName(now: Date): string {
  const s = now.toISOString();
  return `lifelong-${s.slice(0, 10).replaceAll("-", "")}-${s.slice(11, 19).replaceAll(":", "")}.db`;
}

/**
 * A consistent online copy of the database (SQLite's backup API: safe while the bot writes,
 * WAL included) into `dir`, then removes all but the newest `keep` backups.
 */
export async function backupDatabase(
  db: Db,
  dir: string,
  keep: number,
  now: Date,
): Promise<{ file: string; removed: string[] }> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, backupFileName(now));
  await db.backup(file);
  const all = readdirSync(dir)
    .filter((f) => BACKUP_FILE.test(f))
    .sort()
    .reverse();
  const removed = all.slice(Math.max(1, keep));
  for (const f of removed) rmSync(join(dir, f), { force: true });
  return { file, removed };
}

/** Nightly backup into config.backupDir, keeping config.backupKeep copies. */
export const backupJob: JobSpec = {
  name: "backup",
  schedule: SCHEDULES.backup,
  async run(deps, now) {
    const { file, removed } = await backupDatabase(
      deps.db,
      deps.config.backupDir,
      deps.config.backupKeep,
      now,
    );
    return { file, removed: removed.length };
  },
};
