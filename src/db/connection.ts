import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Database as Db } from "better-sqlite3";

/**
 * The storage seam. Domain code reaches the database only through this type, `immediate()` and
 * `preparedFor()`, never through a connection of its own: a deployment past one machine
 * (docs/SCALE.md — one bot for a city on PostgreSQL, the outbox drained with FOR UPDATE SKIP
 * LOCKED, jobs led by an advisory lock) would put another implementation behind these names.
 */
export type { Db };

/**
 * Opens the database with the settings every part of Lifelong relies on: WAL so that readers
 * never wait for the writer, foreign keys, a busy timeout for the CLI running beside the bot,
 * and synchronous=NORMAL, which survives a process crash (not a power cut) at a fraction of FULL's cost.
 */
export function openDatabase(path: string): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  db.pragma("synchronous = NORMAL");
  return db;
}

/**
 * Runs `fn` in a BEGIN IMMEDIATE transaction: read-modify-write code takes the write lock
 * before it reads, so two writers can never both see the last free seat.
 */
export function immediate<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/**
 * Prepares a module's statements once per database and hands back the same set afterwards:
 * `const stmts = preparedFor((db) => ({ get: db.prepare("…") }));` then `stmts(db).get.get(id)`.
 * Hot paths (every update, every enrolment) must not parse SQL again each time.
 */
export function preparedFor<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let statements = cache.get(db);
    if (!statements) {
      statements = build(db);
      cache.set(db, statements);
    }
    return statements;
  };
}
