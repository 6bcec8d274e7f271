import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Catalog } from "../../src/catalog/catalog-schema.ts";
import { loadSkills, loadTargets, validateCatalog } from "../../src/catalog/catalog-schema.ts";
import {
  AUDIENCES,
  CATEGORIES,
  COURSE_KINDS,
  DAY_SLOTS,
  RELATIONS,
  SITE_KINDS,
  WEEKDAYS,
} from "../../src/catalog/codes.ts";
import { CatalogError, importCatalog, importCatalogFile } from "../../src/catalog/import.ts";
import type { Db } from "../../src/db/connection.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";

const DATA = fileURLToPath(new URL("../../data/", import.meta.url));
const CATALOG = join(DATA, "catalog.yaml");
const TZ = "Asia/Shanghai";
const NOW = new Date("2026-11-28T04:00:00.000Z");
const OPTS = { timezone: TZ, now: NOW };
const TABLES = ["sites", "venues", "courses", "sessions", "shifts", "enrolments", "attendance"];

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function freshDb(): Db {
  const db = openDatabase(":memory:");
  migrate(db);
  return db;
}

function counts(db: Db): Record<string, number> {
  return Object.fromEntries(
    TABLES.map((t) => [t, db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number]),
  );
}

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "lifelong-catalog-"));
  dirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The shipped catalog as plain data, validated, for tests that change one thing. */
function shippedCatalog(): Catalog {
  const r = validateCatalog(parse(readFileSync(CATALOG, "utf8")));
  if (!r.ok) throw new Error(r.errors.join("\n"));
  return r.catalog;
}

describe("the shipped catalog", () => {
  it("validates, including shift skills against skills.yaml", () => {
    const skills = loadSkills(join(DATA, "skills.yaml")).map((s) => s.code);
    const r = validateCatalog(parse(readFileSync(CATALOG, "utf8")), { skills });
    expect(r.ok ? [] : r.errors).toEqual([]);
  });

  it("imports with sensible counts", () => {
    const db = freshDb();
    const result = importCatalogFile(db, CATALOG, OPTS);
    expect(result.sites.created).toBeGreaterThanOrEqual(4);
    expect(result.courses.created).toBeGreaterThanOrEqual(20);
    expect(result.sessions.created).toBeGreaterThan(100);
    expect(result.leftAlone.courses).toEqual([]);

    const categories = db
      .prepare("SELECT DISTINCT category FROM courses WHERE kind = 'course'")
      .pluck()
      .all() as string[];
    expect(categories.length).toBeGreaterThanOrEqual(10);
    for (const c of categories) expect(CATEGORIES).toContain(c);
    const kinds = db.prepare("SELECT kind, COUNT(*) AS n FROM courses GROUP BY kind").all() as {
      kind: string;
      n: number;
    }[];
    expect(kinds.find((k) => k.kind === "lecture")?.n).toBeGreaterThanOrEqual(2);
    expect(kinds.find((k) => k.kind === "event")?.n).toBeGreaterThanOrEqual(3);

    const withoutSessions = db
      .prepare("SELECT code FROM courses WHERE id NOT IN (SELECT course_id FROM sessions)")
      .pluck()
      .all();
    expect(withoutSessions).toEqual([]);
    const untitled = db
      .prepare(
        "SELECT code FROM courses WHERE trim(title_zh) = '' OR trim(title_en) = '' OR trim(description_zh) = ''",
      )
      .pluck()
      .all();
    expect(untitled).toEqual([]);
    const siteKinds = db.prepare("SELECT DISTINCT kind FROM sites ORDER BY kind").pluck().all();
    expect(siteKinds).toEqual(["centre", "partner", "school"]);
  });

  it("stores calligraphy in UTC, fee in cents and audiences as JSON", () => {
    const db = freshDb();
    importCatalogFile(db, CATALOG, OPTS);
    const course = db.prepare("SELECT * FROM courses WHERE code = 'jt-calligraphy-senior'").get() as Record<
      string,
      unknown
    >;
    expect(String(course.keywords)).toContain("书法");
    expect(JSON.parse(String(course.audiences))).toEqual(["seniors"]);
    const first = db
      .prepare("SELECT * FROM sessions WHERE course_id = ? AND seq = 1")
      .get(course.id) as Record<string, unknown>;
    // Tuesday 15 Sep 2026, 09:00 in Shanghai.
    expect(first.starts_at).toBe("2026-09-15T01:00:00.000Z");
    expect(first.ends_at).toBe("2026-09-15T03:00:00.000Z");
    expect(first.venue_id).toBe(course.venue_id);
    expect(String(first.checkin_code)).toMatch(/^[A-Z2-9]{8}$/);
    const pastAndFuture = db
      .prepare(
        "SELECT SUM(starts_at < ?) AS past, SUM(starts_at >= ?) AS future FROM sessions WHERE course_id = ?",
      )
      .get(NOW.toISOString(), NOW.toISOString(), course.id) as { past: number; future: number };
    expect(pastAndFuture.past).toBeGreaterThan(0);
    expect(pastAndFuture.future).toBeGreaterThan(0);

    const knitting = db.prepare("SELECT fee_cents FROM courses WHERE code = 'pk-knitting'").pluck().get();
    expect(knitting).toBe(3000);
    const pregnancy = db
      .prepare("SELECT health_related, needs_phone FROM courses WHERE code = 'pk-pregnancy'")
      .get();
    expect(pregnancy).toEqual({ health_related: 1, needs_phone: 1 });
    // An enrolment window closes at the end of its last day, local time.
    const window = db
      .prepare("SELECT enrol_opens_at, enrol_closes_at FROM courses WHERE code = 'jt-calligraphy-spring'")
      .get();
    expect(window).toEqual({
      enrol_opens_at: "2027-01-17T16:00:00.000Z",
      enrol_closes_at: "2027-03-01T16:00:00.000Z",
    });
    const shift = db
      .prepare("SELECT starts_at, ends_at FROM shifts WHERE code = 'computer-helper-dec01'")
      .get();
    expect(shift).toEqual({ starts_at: "2026-12-01T05:45:00.000Z", ends_at: "2026-12-01T07:45:00.000Z" });
  });

  it("loads targets and skills", () => {
    const targets = loadTargets(join(DATA, "targets.yaml"));
    expect(targets).toMatchObject({
      residents_educated: 2000,
      course_kinds: 10,
      participation_rate: 0.5,
      wish_threshold: 3,
    });
    const skills = loadSkills(join(DATA, "skills.yaml"));
    expect(skills.length).toBeGreaterThanOrEqual(15);
    expect(skills.every((s) => s.zh !== "" && s.en !== "")).toBe(true);
  });
});

describe("an invalid catalog", () => {
  it("is rejected whole, with every problem listed by path and line, and the database untouched", () => {
    const db = freshDb();
    importCatalogFile(db, CATALOG, OPTS);
    const before = counts(db);
    const text = readFileSync(CATALOG, "utf8")
      .replace("    capacity: 12\n    teacher: 赵敏", "    capacity: -3\n    teacher: 赵敏") // computer class
      .replace("    teacher: 陈丽", "    teachr: 陈丽") // knitting: typo in a field name
      .replace(
        "    venue: jt-hall\n    title: { zh: 健康知识讲座",
        "    venue: pk-square\n    title: { zh: 健康知识讲座",
      ) // another site's venue
      .replace('      time: "07:30"', '      time: "7.30"') // tai chi
      .replace("category: crafts", "category: knitting")
      .replace('    end: "12:30"\n    needed: 4', '    end: "07:00"\n    needed: 4'); // shift ends before it starts
    const path = tempFile("catalog.yaml", text);

    let error: unknown;
    try {
      importCatalogFile(db, path, { ...OPTS, skillsPath: null });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CatalogError);
    const errors = (error as CatalogError).errors;
    const paths = errors.map((e) => e.split(":")[0]);
    expect(errors.length).toBe(6);
    expect(paths).toEqual([
      "courses[1].schedule.time",
      "courses[3].capacity",
      "courses[8].category",
      "courses[8].teachr",
      "courses[14].venue",
      "shifts[0].end",
    ]);
    expect(errors[1]).toMatch(/^courses\[3\]\.capacity: must be a positive integer \(got -3\) \(line \d+\)$/);
    expect(errors[3]).toContain('did you mean "teacher"?');
    expect(errors[4]).toContain('belongs to site "park"');
    expect(counts(db)).toEqual(before);
  });

  it("reports cross-reference problems together with shape problems", () => {
    const raw = parse(readFileSync(CATALOG, "utf8")) as Record<string, Array<Record<string, unknown>>>;
    const courses = raw.courses!;
    courses[2]!.code = courses[0]!.code;
    courses[4]!.site = "jingtia";
    courses[5]!.min_age = 70;
    courses[5]!.max_age = 60;
    courses[6]!.capacity = "twenty";
    raw.sites![1]!.parent = "nowhere";
    const r = validateCatalog(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'sites[1].parent: no site with code "nowhere"',
      `courses[2].code: "${courses[0]!.code}" is already used by courses[0]`,
      'courses[4].site: no site with code "jingtia" (did you mean "jingtai"?)',
      expect.stringMatching(
        /^courses\[4\]\.venue: venue "[a-z-]+" belongs to site "park", not to the course's site "jingtia"$/,
      ),
      "courses[5].max_age: must not be below min_age (70)",
      'courses[6].capacity: must be a positive integer (got "twenty")',
    ]);
  });

  it("gives YAML syntax errors with their line, and writes nothing", () => {
    const db = freshDb();
    const path = tempFile("catalog.yaml", "sites:\n  - code: a\n    name: { zh: 甲, en: A\n  - code: b\n");
    expect(() => importCatalogFile(db, path, OPTS)).toThrow(CatalogError);
    try {
      importCatalogFile(db, path, OPTS);
    } catch (err) {
      expect((err as CatalogError).errors[0]).toMatch(/^line \d+, column \d+: /);
    }
    expect(counts(db).sites).toBe(0);
  });

  it("reads JSON by extension", () => {
    const db = freshDb();
    const path = tempFile("catalog.json", JSON.stringify(parse(readFileSync(CATALOG, "utf8"))));
    const result = importCatalogFile(db, path, OPTS);
    expect(result.courses.created).toBeGreaterThanOrEqual(20);
  });

  it("lists every problem of a targets file", () => {
    const path = tempFile(
      "targets.yaml",
      "residents_educated: -1\nparticipation_rate: 50\nwish_threshold: 3\nmonthly_report: yes\n",
    );
    try {
      loadTargets(path);
      expect.unreachable();
    } catch (err) {
      const errors = (err as CatalogError).errors;
      expect(errors).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^residents_educated: must be a whole number, 0 or more \(got -1\) \(line 1\)$/,
          ),
          expect.stringMatching(/^participation_rate: must be a fraction/),
          expect.stringMatching(/^course_kinds: is required/),
          expect.stringMatching(/^monthly_report: must be true or false/),
        ]),
      );
    }
  });
});

describe("re-importing", () => {
  const snapshot = (db: Db) => ({
    courses: db.prepare("SELECT id, code FROM courses ORDER BY id").all(),
    sessions: db.prepare("SELECT id, course_id, seq, checkin_code FROM sessions ORDER BY id").all(),
    shifts: db.prepare("SELECT id, code, checkin_code FROM shifts ORDER BY id").all(),
  });

  it("changes nothing when the file is the same", () => {
    const db = freshDb();
    importCatalogFile(db, CATALOG, OPTS);
    const before = { counts: counts(db), rows: snapshot(db) };
    const again = importCatalogFile(db, CATALOG, { ...OPTS, now: new Date("2026-12-01T00:00:00Z") });
    expect(again.courses).toEqual({ created: 0, updated: 0, unchanged: before.counts.courses });
    expect(again.sessions).toMatchObject({ created: 0, updated: 0, removed: 0 });
    expect({ counts: counts(db), rows: snapshot(db) }).toEqual(before);
  });

  it("updates a changed course in place and keeps enrolments and check-in codes", () => {
    const db = freshDb();
    const catalog = shippedCatalog();
    importCatalog(db, catalog, OPTS);
    const course = db
      .prepare("SELECT id, updated_at FROM courses WHERE code = 'jt-calligraphy-senior'")
      .get() as {
      id: number;
      updated_at: string;
    };
    db.prepare("INSERT INTO users (id, first_name, created_at) VALUES (1, 'A', ?)").run(NOW.toISOString());
    db.prepare(
      "INSERT INTO people (id, account_id, is_self, name, relation, created_at) VALUES (1, 1, 1, 'A', 'self', ?)",
    ).run(NOW.toISOString());
    db.prepare(
      "INSERT INTO enrolments (course_id, person_id, account_id, status, created_at, updated_at) VALUES (?, 1, 1, 'enrolled', ?, ?)",
    ).run(course.id, NOW.toISOString(), NOW.toISOString());
    const codesBefore = db
      .prepare("SELECT seq, checkin_code FROM sessions WHERE course_id = ? ORDER BY seq")
      .all(course.id);

    const changed = structuredClone(catalog);
    const calligraphy = changed.courses.find((c) => c.code === "jt-calligraphy-senior")!;
    calligraphy.capacity = 25;
    calligraphy.title.zh = "老年书法国画班";
    if ("start" in calligraphy.schedule) calligraphy.schedule.time = "09:30";
    const later = new Date("2026-11-29T00:00:00Z");
    const result = importCatalog(db, changed, { timezone: TZ, now: later });

    expect(result.courses.updated).toBe(1);
    expect(result.courses.created).toBe(0);
    const after = db
      .prepare("SELECT id, capacity, title_zh, updated_at FROM courses WHERE code = 'jt-calligraphy-senior'")
      .get();
    expect(after).toEqual({
      id: course.id,
      capacity: 25,
      title_zh: "老年书法国画班",
      updated_at: later.toISOString(),
    });
    expect(db.prepare("SELECT COUNT(*) FROM enrolments WHERE course_id = ?").pluck().get(course.id)).toBe(1);
    expect(
      db.prepare("SELECT seq, checkin_code FROM sessions WHERE course_id = ? ORDER BY seq").all(course.id),
    ).toEqual(codesBefore);
    expect(
      db.prepare("SELECT starts_at FROM sessions WHERE course_id = ? AND seq = 1").pluck().get(course.id),
    ).toBe("2026-09-15T01:30:00.000Z");
    expect(result.sessions.updated).toBe(codesBefore.length);
  });

  it("leaves a course missing from the file alone", () => {
    const db = freshDb();
    const catalog = shippedCatalog();
    importCatalog(db, catalog, OPTS);
    const before = counts(db);
    const shorter = { ...catalog, courses: catalog.courses.filter((c) => c.code !== "pk-knitting") };
    const result = importCatalog(db, shorter, OPTS);
    expect(result.leftAlone.courses).toEqual(["pk-knitting"]);
    expect(counts(db)).toEqual(before);
  });

  it("drops future sessions cut from a term, but keeps past ones and any with attendance", () => {
    const db = freshDb();
    const catalog = shippedCatalog();
    importCatalog(db, catalog, OPTS);
    const id = db
      .prepare("SELECT id FROM courses WHERE code = 'jt-calligraphy-senior'")
      .pluck()
      .get() as number;
    const total = db.prepare("SELECT COUNT(*) FROM sessions WHERE course_id = ?").pluck().get(id) as number;
    // Someone checked in early to the last session (a data fix, say): it must survive.
    db.prepare("INSERT INTO users (id, first_name, created_at) VALUES (1, 'A', ?)").run(NOW.toISOString());
    db.prepare(
      "INSERT INTO people (id, account_id, is_self, name, relation, created_at) VALUES (1, 1, 1, 'A', 'self', ?)",
    ).run(NOW.toISOString());
    db.prepare(
      "INSERT INTO attendance (session_id, person_id, status, source, recorded_at) SELECT id, 1, 'present', 'staff', ? FROM sessions WHERE course_id = ? AND seq = ?",
    ).run(NOW.toISOString(), id, total);

    const changed = structuredClone(catalog);
    const calligraphy = changed.courses.find((c) => c.code === "jt-calligraphy-senior")!;
    if ("start" in calligraphy.schedule) calligraphy.schedule.weeks = 4; // ends in October, before NOW
    const result = importCatalog(db, changed, OPTS);

    const seqs = db
      .prepare("SELECT seq FROM sessions WHERE course_id = ? ORDER BY seq")
      .pluck()
      .all(id) as number[];
    const past = db
      .prepare("SELECT COUNT(*) FROM sessions WHERE course_id = ? AND starts_at < ?")
      .pluck()
      .get(id, NOW.toISOString()) as number;
    // Seq 1..3 stay planned (week of 6 Oct skipped); past sessions beyond them and the attended one are kept.
    expect(seqs[seqs.length - 1]).toBe(total);
    expect(result.sessions.removed).toBe(total - past - 1);
    expect(result.sessions.kept).toBe(past - 3 + 1);
  });
});

describe("code labels", () => {
  const labels = (lang: string) =>
    JSON.parse(
      readFileSync(fileURLToPath(new URL(`../../locales/${lang}/codes.json`, import.meta.url)), "utf8"),
    ) as Record<string, Record<string, string>>;

  it("label every code in both languages, with the same keys", () => {
    const zh = labels("zh");
    const en = labels("en");
    const expected: Record<string, readonly string[]> = {
      category: CATEGORIES,
      audience: AUDIENCES,
      kind: COURSE_KINDS,
      relation: RELATIONS,
      siteKind: SITE_KINDS,
      weekday: WEEKDAYS,
      slot: DAY_SLOTS,
    };
    for (const file of [zh, en]) {
      expect(Object.keys(file).sort()).toEqual(Object.keys(expected).sort());
      for (const [group, codes] of Object.entries(expected)) {
        expect(Object.keys(file[group] ?? {}).sort()).toEqual([...codes].sort());
        for (const label of Object.values(file[group] ?? {})) expect(label.trim()).not.toBe("");
      }
    }
  });

  it("match the relation codes of the schema", () => {
    const db = freshDb();
    const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'people'").pluck().get() as string;
    for (const r of RELATIONS) expect(sql).toContain(`'${r}'`);
  });
});
