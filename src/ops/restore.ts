import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import Database from "better-sqlite3";
import type { Db } from "../db/connection.ts";
import { backupFileName } from "../jobs/backup.ts";
import { inspectDatabaseFile, latestSchemaVersion, tableCounts } from "./database-file.ts";
import { acquireInstanceLock, InstanceLockError } from "./instance-lock.ts";

export type RestoreResult =
  | { ok: true; kept: string | undefined; lines: string[] }
  | { ok: false; problem: string };

const stamp = (now: Date): string =>
  backupFileName(now)
    .replace(/^lifelong-/, "")
    .replace(/\.db$/, "");

/** `12 → 15 (+3)` lines for the tables whose row counts differ. */
export function describeChanges(before: Record<string, number>, after: Record<string, number>): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const lines: string[] = [];
  for (const name of names) {
    const a = before[name];
    const b = after[name];
    if (a === b) continue;
    if (a === undefined) lines.push(`  ${name}: new table, ${b} rows`);
    else if (b === undefined) lines.push(`  ${name}: table gone (had ${a} rows)`);
    else lines.push(`  ${name}: ${a} → ${b} (${b - a > 0 ? "+" : ""}${b - a})`);
  }
  return lines;
}

/**
 * Replaces the database with a backup. Refuses, touching nothing, while the bot runs (the
 * instance lock), or when the backup is not a whole Lifelong database this code can run. The
 * current database is kept beside it as `<name>.before-restore-<UTC time>` (a consistent copy,
 * WAL included), then the backup is copied in, its own -wal and -shm never mixed with the old
 * ones. Returns what changed, table by table.
 */
export async function restoreDatabase(
  databasePath: string,
  backupPath: string,
  now: Date,
): Promise<RestoreResult> {
  let lock: ReturnType<typeof acquireInstanceLock>;
  try {
    lock = acquireInstanceLock(databasePath);
  } catch (err) {
    if (err instanceof InstanceLockError)
      return { ok: false, problem: `the bot is running (pid ${err.pid}): stop it first, then restore` };
    throw err;
  }
  try {
    const latest = latestSchemaVersion();
    const backup = inspectDatabaseFile(backupPath, latest);
    if (!backup.ok) return { ok: false, problem: `refused: ${backup.problem}; nothing was changed` };

    let before: Record<string, number> = {};
    let kept: string | undefined;
    if (existsSync(databasePath)) {
      kept = `${databasePath}.before-restore-${stamp(now)}`;
      const current: Db = new Database(databasePath, { fileMustExist: true });
      try {
        try {
          before = tableCounts(current);
        } catch {
          // A damaged current database is what a restore is for; it is still kept as it is.
        }
        await current.backup(kept);
      } finally {
        current.close();
      }
    }
    const incoming = join(databasePath, "..", `.${basename(databasePath)}.restoring`);
    copyFileSync(backupPath, incoming);
    // The old WAL must never be replayed onto the restored file.
    for (const suffix of ["-wal", "-shm", "-journal"]) rmSync(databasePath + suffix, { force: true });
    renameSync(incoming, databasePath);

    const restored = inspectDatabaseFile(databasePath, latest);
    if (!restored.ok)
      return { ok: false, problem: `the restored file does not check out: ${restored.problem}` };
    const lines = [`restored ${backupPath} (schema version ${restored.info.schemaVersion})`];
    if (kept) lines.push(`the database it replaced is kept as ${kept}`);
    const changes = describeChanges(before, restored.info.counts);
    lines.push(changes.length ? "rows that changed:" : "no table's row count changed");
    lines.push(...changes);
    if (restored.info.schemaVersion < latest)
      lines.push(`${latest - restored.info.schemaVersion} migration(s) will be applied at the next start`);
    return { ok: true, kept, lines };
  } finally {
    lock.release();
  }
}

/**
 * `backup --to <dir>`: a consistent online copy into another folder (a mounted disk, a synced
 * folder), checked to open as a whole database. Old copies there are left alone.
 */
export async function backupTo(db: Db, dir: string, now: Date): Promise<{ file: string; problem?: string }> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, backupFileName(now));
  await db.backup(file);
  const check = inspectDatabaseFile(file);
  return check.ok ? { file } : { file, problem: check.problem };
}
