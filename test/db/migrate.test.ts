import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.ts";
import { loadMigrations, migrate } from "../../src/db/migrate.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("migrations", () => {
  it("builds the whole schema on an empty database", () => {
    const db = openDatabase(":memory:");
    const applied = migrate(db);
    expect(applied[0]).toBe("001-init.sql");
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    for (const t of [
      "sites",
      "venues",
      "users",
      "people",
      "roles",
      "courses",
      "sessions",
      "enrolments",
      "attendance",
      "volunteers",
      "shifts",
      "shift_assignments",
      "feedback",
      "wishes",
      "outbox",
      "audit_log",
      "conversation_state",
      "processed_updates",
      "job_runs",
    ]) {
      expect(tables).toContain(t);
    }
    // Numbers are reserved ahead of merging, so the latest version is the highest number, not the count.
    expect(db.pragma("user_version", { simple: true })).toBe(loadMigrations().at(-1)?.version);
    expect(db.pragma("foreign_key_check")).toEqual([]);
  });

  it("applies nothing twice on an existing database file and keeps its rows", () => {
    const dir = mkdtempSync(join(tmpdir(), "lifelong-"));
    dirs.push(dir);
    const path = join(dir, "db.sqlite");
    const first = openDatabase(path);
    migrate(first);
    first
      .prepare("INSERT INTO users (id, first_name, created_at) VALUES (1, 'A', '2026-01-01T00:00:00.000Z')")
      .run();
    first.close();
    const again = openDatabase(path);
    expect(migrate(again)).toEqual([]);
    expect(again.prepare("SELECT count(*) FROM users").pluck().get()).toBe(1);
    expect(again.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(again.pragma("foreign_keys", { simple: true })).toBe(1);
    again.close();
  });

  it("applies only the newer migration and rolls back a broken one whole", () => {
    const db = openDatabase(":memory:");
    const base = loadMigrations();
    migrate(db, base);
    const next = (base.at(-1)?.version ?? 0) + 1;
    const good = { version: next, name: "x.sql", sql: "CREATE TABLE extra (id INTEGER PRIMARY KEY);" };
    expect(migrate(db, [...base, good])).toEqual(["x.sql"]);
    const bad = {
      version: next + 1,
      name: "y.sql",
      sql: "CREATE TABLE half (id INTEGER); SELECT nope FROM missing;",
    };
    expect(() => migrate(db, [...base, good, bad])).toThrow();
    expect(db.pragma("user_version", { simple: true })).toBe(next);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
  });

  it("enforces the invariants in the schema", () => {
    const db = openDatabase(":memory:");
    migrate(db);
    const now = "2026-01-01T00:00:00.000Z";
    db.prepare(
      "INSERT INTO sites (id, code, kind, name_zh, name_en) VALUES (1, 's', 'school', '校', 'School')",
    ).run();
    db.prepare(
      "INSERT INTO courses (id, code, category, site_id, title_zh, title_en, capacity, created_at, updated_at) VALUES (1, 'c', 'arts', 1, '书法', 'Calligraphy', 10, ?, ?)",
    ).run(now, now);
    db.prepare("INSERT INTO users (id, created_at) VALUES (7, ?)").run(now);
    db.prepare(
      "INSERT INTO people (id, account_id, is_self, name, relation, created_at) VALUES (1, 7, 1, 'A', 'self', ?)",
    ).run(now);
    const enrol = db.prepare(
      "INSERT INTO enrolments (course_id, person_id, account_id, status, created_at, updated_at) VALUES (1, 1, 7, 'enrolled', ?, ?)",
    );
    enrol.run(now, now);
    expect(() => enrol.run(now, now)).toThrow(/UNIQUE/);
    const out = db.prepare(
      "INSERT INTO outbox (key, chat_id, template, due_at, created_at) VALUES ('k', 7, 't', ?, ?)",
    );
    out.run(now, now);
    expect(() => out.run(now, now)).toThrow(/UNIQUE/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO people (account_id, is_self, name, relation, created_at) VALUES (999, 0, 'B', 'child', ?)",
        )
        .run(now),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO people (account_id, is_self, name, relation, created_at) VALUES (7, 1, 'C', 'self', ?)",
        )
        .run(now),
    ).toThrow(/UNIQUE/);
  });
});

describe("003: broadcasts get their own table", () => {
  it("moves broadcasts recorded in the audit log, keeping their ids and whether they were reported", () => {
    const db = openDatabase(":memory:");
    const all = loadMigrations();
    migrate(
      db,
      all.filter((m) => m.version < 3),
    );
    const at = "2026-11-20T01:00:00.000Z";
    db.prepare("INSERT INTO users (id, created_at) VALUES (7, ?)").run(at);
    const log = db.prepare(
      "INSERT INTO audit_log (id, at, actor_id, action, subject, details) VALUES (?, ?, 7, 'broadcast', ?, ?)",
    );
    log.run(41, at, "c3", JSON.stringify({ html: "<b>停课</b>", count: 2 }));
    log.run(42, at, "news", JSON.stringify({ html: "Hello", count: 5 }));
    db.prepare(
      "INSERT INTO outbox (key, chat_id, template, due_at, created_at) VALUES ('broadcast-report:41', 7, 'staff.broadcastReport', ?, ?)",
    ).run(at, "2026-11-20T02:00:00.000Z");
    migrate(db, all);
    expect(
      db
        .prepare("SELECT id, sender_id, audience, html, recipients, reported_at FROM broadcasts ORDER BY id")
        .all(),
    ).toEqual([
      {
        id: 41,
        sender_id: 7,
        audience: "c3",
        html: "<b>停课</b>",
        recipients: 2,
        reported_at: "2026-11-20T02:00:00.000Z",
      },
      { id: 42, sender_id: 7, audience: "news", html: "Hello", recipients: 5, reported_at: null },
    ]);
    expect(db.prepare("SELECT details FROM audit_log WHERE id = 41").pluck().get()).toBe(
      '{"broadcast":41,"count":2}',
    );
  });
});
