import { readdirSync, readFileSync } from "node:fs";
import { fromRoot } from "../paths.ts";
import type { Db } from "./connection.ts";

const MIGRATIONS_DIR = `${fromRoot("src", "db", "migrations")}/`;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The numbered SQL files in src/db/migrations, in order. `001-init.sql` is version 1. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(dir + f, "utf8") }));
}

/**
 * Applies every migration newer than the database's `user_version`, each in its own
 * transaction together with the version bump, so a failed migration leaves nothing half-done.
 * Returns the names of the migrations applied now.
 */
export function migrate(db: Db, migrations = loadMigrations()): string[] {
  const current = db.pragma("user_version", { simple: true }) as number;
  const applied: string[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    applied.push(m.name);
  }
  return applied;
}
