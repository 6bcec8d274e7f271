import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import { loadMigrations } from "../db/migrate.ts";

/** What a database file holds, once it is known to be a whole, sound Lifelong database. */
export interface DatabaseFileInfo {
  /** PRAGMA user_version: the last migration applied. */
  schemaVersion: number;
  /** Rows per table. */
  counts: Record<string, number>;
}

export type Inspection = { ok: true; info: DatabaseFileInfo } | { ok: false; problem: string };

/** The newest migration this code knows. */
export const latestSchemaVersion = (): number => Math.max(0, ...loadMigrations().map((m) => m.version));

/** Reads the first 100 bytes (SQLite's header) of a file. */
function header(path: string): Buffer {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(100);
    const n = readSync(fd, buf, 0, 100, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Rows per table, by name. */
export function tableCounts(db: Database.Database): Record<string, number> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  return Object.fromEntries(
    tables.map((t) => [
      t,
      db
        .prepare(`SELECT count(*) FROM "${t.replaceAll('"', '""')}"`)
        .pluck()
        .get() as number,
    ]),
  );
}

/**
 * Checks, read-only, that a file is a whole SQLite database with a Lifelong schema this code can
 * run: the header, the size the header promises (a copy cut short is refused before SQLite
 * reads garbage), PRAGMA quick_check, and a schema version neither missing nor newer than ours.
 */
export function inspectDatabaseFile(path: string, latest = latestSchemaVersion()): Inspection {
  if (!existsSync(path)) return { ok: false, problem: `${path} does not exist` };
  const size = statSync(path).size;
  const head = header(path);
  if (head.length < 100 || head.subarray(0, 16).toString("latin1") !== "SQLite format 3\0")
    return { ok: false, problem: `${path} is not an SQLite database` };
  const rawPageSize = head.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  const pages = head.readUInt32BE(28);
  // The page count in the header is trustworthy only when these two counters agree.
  const countValid = head.readUInt32BE(24) === head.readUInt32BE(92);
  if (countValid && pages > 0 && size < pages * pageSize)
    return {
      ok: false,
      problem: `${path} is truncated (${size} bytes, its header says ${pages * pageSize})`,
    };
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const check = db.pragma("quick_check", { simple: true }) as string;
    if (check !== "ok") return { ok: false, problem: `${path} fails its integrity check: ${check}` };
    const schemaVersion = db.pragma("user_version", { simple: true }) as number;
    if (schemaVersion === 0)
      return { ok: false, problem: `${path} is not a Lifelong database (no schema version)` };
    if (schemaVersion > latest)
      return {
        ok: false,
        problem: `${path} has schema version ${schemaVersion}, newer than this code's ${latest}: upgrade the code first`,
      };
    return { ok: true, info: { schemaVersion, counts: tableCounts(db) } };
  } catch (err) {
    return {
      ok: false,
      problem: `${path} cannot be read: ${err instanceof Error ? err.message : String(err)}`,
    };
  } finally {
    db?.close();
  }
}
