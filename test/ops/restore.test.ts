import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { latestSchemaVersion } from "../../src/ops/database-file.ts";
import { lockPath } from "../../src/ops/instance-lock.ts";
import { backupTo, restoreDatabase } from "../../src/ops/restore.ts";
import { exitOf } from "../helpers/e2e.ts";
import { spawn } from "node:child_process";

const NOW = new Date("2026-12-04T10:00:00Z");

describe("restore", () => {
  let dir: string;
  let dbPath: string;
  let backup: string;

  const users = (path: string): number => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare("SELECT count(*) FROM users").pluck().get() as number;
    } finally {
      db.close();
    }
  };
  const addUsers = (path: string, ids: number[]) => {
    const db = openDatabase(path);
    for (const id of ids)
      db.prepare("INSERT INTO users (id, created_at) VALUES (?, ?)").run(id, NOW.toISOString());
    db.close();
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "lifelong-restore-"));
    dbPath = join(dir, "lifelong.db");
    const db = openDatabase(dbPath);
    migrate(db);
    db.close();
    addUsers(dbPath, [1, 2, 3]);
    const live = openDatabase(dbPath);
    backup = (await backupTo(live, join(dir, "offsite"), NOW)).file;
    live.close();
    addUsers(dbPath, [4, 5]);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("round trip: keeps the current database beside it, restores the backup, says what changed", async () => {
    expect(users(dbPath)).toBe(5);
    const result = await restoreDatabase(dbPath, backup, NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(users(dbPath)).toBe(3);
    expect(result.kept).toBe(`${dbPath}.before-restore-20261204-100000`);
    expect(users(result.kept as string)).toBe(5);
    expect(result.lines).toContain("  users: 5 → 3 (-2)");
    expect(result.lines.join("\n")).not.toContain("courses:");
    expect(existsSync(lockPath(dbPath))).toBe(false);
    // And back again from the kept copy.
    const back = await restoreDatabase(dbPath, result.kept as string, new Date(NOW.getTime() + 1000));
    expect(back.ok && back.lines).toContain("  users: 3 → 5 (+2)");
    expect(users(dbPath)).toBe(5);
  });

  const refused = async (file: string, message: string) => {
    const before = readFileSync(dbPath);
    const result = await restoreDatabase(dbPath, file, NOW);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.problem).toContain(message);
    expect(readFileSync(dbPath).equals(before)).toBe(true);
    expect(users(dbPath)).toBe(5);
    expect(readdirSync(dir).filter((f) => f.includes("before-restore"))).toEqual([]);
  };

  it("refuses a file that is not SQLite", async () => {
    const junk = join(dir, "notes.db");
    writeFileSync(junk, "these are not the rows you are looking for\n".repeat(10));
    await refused(junk, "is not an SQLite database");
  });

  it("refuses a truncated backup", async () => {
    const cut = join(dir, "cut.db");
    copyFileSync(backup, cut);
    truncateSync(cut, Math.floor(statSync(cut).size / 2));
    await refused(cut, "is truncated");
  });

  it("refuses a backup from a newer schema", async () => {
    const newer = join(dir, "newer.db");
    copyFileSync(backup, newer);
    const db = new Database(newer);
    db.pragma(`user_version = ${latestSchemaVersion() + 1}`);
    db.close();
    await refused(newer, "newer than this code's");
  });

  it("refuses a file that does not exist, and an SQLite file that is not Lifelong's", async () => {
    await refused(join(dir, "missing.db"), "does not exist");
    const other = join(dir, "other.db");
    const db = new Database(other);
    db.exec("CREATE TABLE t (x)");
    db.close();
    await refused(other, "not a Lifelong database");
  });

  it("refuses while the bot runs", async () => {
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 20000)"]);
    try {
      writeFileSync(lockPath(dbPath), `${holder.pid}\n`);
      await refused(backup, `the bot is running (pid ${holder.pid})`);
    } finally {
      holder.kill("SIGKILL");
      await exitOf(holder, 5000);
    }
  });

  it("through the command line: backup --to, then restore", () => {
    const env = { PATH: process.env.PATH ?? "", DATABASE_PATH: dbPath, BACKUP_DIR: join(dir, "backups") };
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { env, encoding: "utf8" });
    const b = cli("backup", "--to", join(dir, "usb"));
    expect(b.status, b.stdout + b.stderr).toBe(0);
    expect(b.stdout).toMatch(/backup written and checked: .*usb.*lifelong-\d{8}-\d{6}\.db/);
    const r = cli("restore", backup);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("users: 5 → 3 (-2)");
    expect(users(dbPath)).toBe(3);
    const bad = cli("restore", join(dir, "missing.db"));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain("nothing was changed");
  }, 120_000);
});
