import { beforeEach, describe, expect, it } from "vitest";
import { importCatalogFile } from "../../src/catalog/import.ts";
import { findCourses, listCourses, PAGE_SIZE, paginate } from "../../src/catalog/queries.ts";
import { searchCourses } from "../../src/catalog/search.ts";
import { chineseNumber, parseQuery } from "../../src/catalog/search-parse.ts";
import type { Db } from "../../src/db/connection.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { daySlot, localParts } from "../../src/time.ts";

const TZ = "Asia/Shanghai";
const NOW = new Date("2026-11-30T02:00:00.000Z"); // Monday 10:00 in Shanghai
let db: Db;

beforeEach(() => {
  db = openDatabase(":memory:");
  migrate(db);
  importCatalogFile(db, "data/catalog.yaml", { timezone: TZ, now: NOW });
});

const codes = (q: string) => searchCourses(db, q, NOW, TZ).hits.map((h) => h.course.code);
const idOf = (code: string) =>
  db.prepare("SELECT id FROM courses WHERE code = ?").pluck().get(code) as number;

/** Local (weekday, slot) of every upcoming session of a course, from the database. */
function localSlots(code: string): Array<{ weekday: number; slot: number }> {
  const starts = db
    .prepare("SELECT starts_at FROM sessions WHERE course_id = ? AND status = 'scheduled' AND starts_at > ?")
    .pluck()
    .all(idOf(code), NOW.toISOString()) as string[];
  return starts.map((s) => {
    const p = localParts(new Date(s), TZ);
    return { weekday: p.weekday, slot: daySlot(p.hour) };
  });
}

function fill(code: string): void {
  const id = idOf(code);
  const capacity = db.prepare("SELECT capacity FROM courses WHERE id = ?").pluck().get(id) as number;
  const t = NOW.toISOString();
  for (let i = 0; i < capacity; i++) {
    const person = db
      .prepare("INSERT INTO people (name, relation, created_at) VALUES (?, 'self', ?)")
      .run(`p${i}`, t).lastInsertRowid;
    db.prepare(
      "INSERT INTO enrolments (course_id, person_id, status, created_at, updated_at) VALUES (?, ?, 'enrolled', ?, ?)",
    ).run(id, person, t, t);
  }
}

describe("parseQuery", () => {
  it("reads ages in English and Chinese, with Chinese numerals up to 99", () => {
    for (const [q, age] of [
      ["for my 7-year-old", 7],
      ["my son is 7 year old", 7],
      ["aged 7", 7],
      ["7岁", 7],
      ["七岁的孩子", 7],
      ["我妈妈70岁", 70],
      ["奶奶七十五岁", 75],
      ["十二岁", 12],
    ] as const) {
      expect(parseQuery(q).age, q).toBe(age);
    }
    expect(chineseNumber("九十九")).toBe(99);
    expect(chineseNumber("二十")).toBe(20);
    expect(chineseNumber("十")).toBe(10);
    expect(chineseNumber("七七")).toBeUndefined();
  });

  it("reads who and when", () => {
    expect(parseQuery("for my son").who).toBe("child");
    expect(parseQuery("给孙女找个课").who).toBe("child");
    expect(parseQuery("我妈妈70岁")).toMatchObject({ who: "senior", age: 70 });
    expect(parseQuery("weekday mornings")).toMatchObject({ weekdays: [0, 1, 2, 3, 4], slots: [0] });
    expect(parseQuery("周末").weekdays).toEqual([5, 6]);
    expect(parseQuery("星期六下午").weekdays).toEqual([5]);
    expect(parseQuery("星期六下午").slots).toEqual([1]);
    expect(parseQuery("Saturday evening")).toMatchObject({ weekdays: [5], slots: [2] });
    expect(parseQuery("书法").topics.map((t) => t.group.id)).toEqual(["calligraphy"]);
    expect(parseQuery("ping pong").topics.map((t) => t.group.id)).toEqual(["table_tennis"]);
    expect(parseQuery("我想学").topics).toEqual([]);
    expect(parseQuery("我想学").terms).toEqual([]);
  });
});

describe("searchCourses on the real catalog", () => {
  it("finds calligraphy by its Chinese and English names alike", () => {
    const zh = codes("书法");
    expect(zh[0]).toBe("jt-calligraphy-senior");
    expect(codes("calligraphy")).toEqual(zh);
    expect(codes("毛笔")).toContain("jt-calligraphy-senior");
    expect(zh).not.toContain("sp-english-kids");
  });

  it("finds a topic word's own category, not courses that only mention the word", () => {
    expect(codes("knitting")).toEqual(["pk-knitting"]);
    expect(codes("编织")).toEqual(["pk-knitting"]);
  });

  it("reads no age from markup or letters with digits", () => {
    for (const typed of ["<b>x</b>", "a1", "x1y", "<b>1x</b>"])
      expect(parseQuery(typed).age, typed).toBeNull();
  });

  it("finds table tennis and English by their synonyms", () => {
    const pingpong = codes("乒乓");
    expect(pingpong.sort()).toEqual(["sp-pingpong-kids", "sp-pingpong-senior"]);
    expect(codes("table tennis").sort()).toEqual(pingpong);
    expect(codes("english")[0]).toBe("sp-english-kids");
    expect(codes("英语")[0]).toBe("sp-english-kids");
    expect(codes("电脑")).toEqual(["jt-computer-senior"]);
  });

  it("finds the weekend children's courses for 'for my 7-year-old on weekends'", () => {
    const r = searchCourses(db, "for my 7-year-old on weekends", NOW, TZ);
    expect(r.alternatives).toBe(false);
    const found = r.hits.map((h) => h.course.code);
    expect(found).toEqual(expect.arrayContaining(["pk-art-kids", "sp-english-kids", "sp-pingpong-kids"]));
    for (const h of r.hits) {
      expect(h.course.minAge ?? 0).toBeLessThanOrEqual(7);
      expect(h.course.maxAge ?? 120).toBeGreaterThanOrEqual(7);
      expect(
        localSlots(h.course.code).some((s) => s.weekday >= 5),
        h.course.code,
      ).toBe(true);
      expect(h.reasons.map((x) => x.kind)).toEqual(expect.arrayContaining(["age", "time"]));
    }
    // Courses made for children come before events for everyone.
    const firstGeneral = found.findIndex(
      (c) => !["pk-art-kids", "sp-english-kids", "sp-pingpong-kids", "pk-children-art-festival"].includes(c),
    );
    if (firstGeneral >= 0) expect(firstGeneral).toBeGreaterThanOrEqual(3);
    expect(found).not.toContain("sp-makers-weekend"); // ages 9 to 14
  });

  it("finds senior courses for '我妈妈70岁', senior courses first", () => {
    const r = searchCourses(db, "我妈妈70岁", NOW, TZ);
    const found = r.hits.map((h) => h.course);
    expect(found.map((c) => c.code)).toEqual(
      expect.arrayContaining(["jt-calligraphy-senior", "sp-pingpong-senior", "jt-computer-senior"]),
    );
    for (const c of found) expect(c.maxAge ?? 120).toBeGreaterThanOrEqual(70);
    expect(found.map((c) => c.code)).not.toContain("pk-pregnancy");
    expect(found.map((c) => c.code)).not.toContain("dc-reemployment");
    const firstNonSenior = found.findIndex((c) => !c.audiences.includes("seniors"));
    const lastSenior = found.map((c) => c.audiences.includes("seniors")).lastIndexOf(true);
    expect(firstNonSenior === -1 || firstNonSenior > lastSenior).toBe(true);
  });

  it("understands 'weekday mornings' and '周末'", () => {
    const mornings = searchCourses(db, "weekday mornings", NOW, TZ).hits.map((h) => h.course.code);
    expect(mornings).toEqual(expect.arrayContaining(["jt-calligraphy-senior", "pk-taichi", "jt-meridian"]));
    for (const code of mornings)
      expect(
        localSlots(code).some((s) => s.weekday < 5 && s.slot === 0),
        code,
      ).toBe(true);
    expect(mornings).not.toContain("dc-reemployment");
    const weekend = codes("周末");
    expect(weekend).toEqual(expect.arrayContaining(["pk-art-kids", "sp-pingpong-kids", "sp-makers-weekend"]));
    for (const code of weekend)
      expect(
        localSlots(code).some((s) => s.weekday >= 5),
        code,
      ).toBe(true);
    expect(weekend).not.toContain("jt-computer-senior");
  });

  it("puts open courses before full ones among equal matches", () => {
    fill("sp-pingpong-senior");
    expect(codes("乒乓")).toEqual(["sp-pingpong-kids", "sp-pingpong-senior"]);
    db.prepare("DELETE FROM enrolments").run();
    fill("sp-pingpong-kids");
    expect(codes("乒乓")).toEqual(["sp-pingpong-senior", "sp-pingpong-kids"]);
  });

  it("never returns finished courses", () => {
    // The phone-safety short course ended in October.
    expect(codes("防诈骗")).not.toContain("pk-phone-safety");
    expect(findCourses(db, {}, NOW, TZ).map((c) => c.code)).not.toContain("pk-phone-safety");
  });

  it("offers the closest alternatives when nothing fits, dropping the time first", () => {
    const r = searchCourses(db, "书法 周日晚上", NOW, TZ);
    expect(r.alternatives).toBe(true);
    expect(r.dropped).toEqual(["time"]);
    expect(r.hits[0]?.course.code).toBe("jt-calligraphy-senior");
    const unknown = searchCourses(db, "xylophone", NOW, TZ);
    expect(unknown.alternatives).toBe(true);
    expect(unknown.dropped).toEqual(["topic"]);
    expect(unknown.hits.length).toBeGreaterThan(0);
    const exact = searchCourses(db, "书法", NOW, TZ);
    expect(exact.alternatives).toBe(false);
    expect(exact.dropped).toEqual([]);
  });
});

describe("browse lists", () => {
  it("paginates without losing or repeating a course", () => {
    const all = findCourses(db, {}, NOW, TZ);
    const first = listCourses(db, {}, NOW, TZ, 0);
    expect(first.total).toBe(all.length);
    expect(first.items).toHaveLength(PAGE_SIZE);
    expect(first.pages).toBe(Math.ceil(all.length / PAGE_SIZE));
    const seen = [];
    for (let p = 0; p < first.pages; p++)
      seen.push(...listCourses(db, {}, NOW, TZ, p).items.map((c) => c.id));
    expect(new Set(seen).size).toBe(all.length);
    expect(listCourses(db, {}, NOW, TZ, 99).page).toBe(first.pages - 1);
    expect(paginate([], 0)).toEqual({ items: [], total: 0, page: 0, pages: 1 });
  });

  it("filters by weekday and time of day in the school's time zone", () => {
    const saturday = listCourses(db, { weekday: 5 }, NOW, TZ, 0);
    const sat = findCourses(db, { weekday: 5 }, NOW, TZ).map((c) => c.code);
    expect(saturday.total).toBe(sat.length);
    expect(sat).toEqual(expect.arrayContaining(["pk-art-kids", "sp-english-kids", "sp-makers-weekend"]));
    for (const code of sat) expect(localSlots(code).some((s) => s.weekday === 5)).toBe(true);
    const evening = findCourses(db, { slot: 2 }, NOW, TZ).map((c) => c.code);
    expect(evening).toEqual(expect.arrayContaining(["dc-reemployment", "pk-civics"]));
    for (const code of evening) expect(localSlots(code).some((s) => s.slot === 2)).toBe(true);
  });

  it("filters by category, audience and site, and lists lectures and events by date", () => {
    expect(
      findCourses(db, { category: "sports" }, NOW, TZ)
        .map((c) => c.code)
        .sort(),
    ).toEqual(["sp-pingpong-kids", "sp-pingpong-senior"]);
    const kids = findCourses(db, { audiences: ["preschool", "pupils"] }, NOW, TZ);
    for (const c of kids) expect(c.audiences.some((a) => a === "preschool" || a === "pupils")).toBe(true);
    const site = db.prepare("SELECT id FROM sites WHERE code = 'park'").pluck().get() as number;
    for (const c of findCourses(db, { siteId: site }, NOW, TZ)) expect(c.site.id).toBe(site);
    const events = listCourses(db, { eventsOnly: true }, NOW, TZ, 0).items;
    expect(events.every((e) => e.kind !== "course")).toBe(true);
    const dates = events.map((e) => e.availability.nextSessionAt ?? "");
    expect([...dates].sort()).toEqual(dates);
  });
});
