/**
 * Site scope, against the hand-made fixture (test/reports/fixture.ts). North (site 1) has courses
 * a, b, h and shift 1; South (site 2) has c, e, f. The reported week is 2026-11-23..29 local.
 * Worked out by hand from the fixture:
 * - enrolments holding a seat, created in the week: north e(a,1) 11-23, e(a,4) 11-24 = 2;
 *   south e(e,3) 11-27 = 1.
 * - waitlist joins: north e(b,5) 11-26 = 1; south 0. Cancellations: north e(a,3) 11-25 = 1.
 * - sessions held: north s1 (a), s4 (b), s6 (h) = 3, expected 3 + 4 + 1 = 8, present 2 + 3 + 1 = 6;
 *   south s7 (e) = 1, expected 1, present 0.
 * - volunteer hours: shift 1 (north) 2.5; south 0. New volunteers are the district's: 1 for both.
 * - ratings: north 5 (a) and 2 (b) = 2, average 3.5; south none.
 */
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { computeDigestFigures } from "../../src/reports/digest.ts";
import { periodFigures } from "../../src/reports/period.ts";
import { computeSummary } from "../../src/reports/summary.ts";
import { createHarness, texts } from "../helpers/bot-harness.ts";
import { emulatorBot } from "../helpers/emulator-bot.ts";
import { NOW, seedFixture, TARGETS, TZ, USERS } from "./fixture.ts";

const FROM = new Date("2026-11-22T16:00:00.000Z");
const TO = new Date("2026-11-29T16:00:00.000Z");

function fixtureDb() {
  const db = openDatabase(":memory:");
  migrate(db);
  seedFixture(db);
  return db;
}

describe("figures for some sites", () => {
  it("counts a site's own enrolments, sessions, hours and ratings", () => {
    const db = fixtureDb();
    expect(periodFigures(db, FROM, TO, NOW, [1])).toEqual({
      enrolments: 2,
      cancellations: 1,
      waitlistJoins: 1,
      sessionsHeld: 3,
      present: 6,
      expected: 8,
      attendanceRate: 0.75,
      newVolunteers: 1,
      volunteerHours: 2.5,
      ratings: 2,
      averageRating: 3.5,
    });
    expect(periodFigures(db, FROM, TO, NOW, [2])).toEqual({
      enrolments: 1,
      cancellations: 0,
      waitlistJoins: 0,
      sessionsHeld: 1,
      present: 0,
      expected: 1,
      attendanceRate: 0,
      newVolunteers: 1,
      volunteerHours: 0,
      ratings: 0,
      averageRating: null,
    });
    const district = periodFigures(db, FROM, TO, NOW);
    expect(district).toMatchObject({ enrolments: 3, sessionsHeld: 4, present: 6, expected: 9, ratings: 2 });
  });

  it("gives a site's summary its own courses and waitlist, with the district's week beside it", () => {
    const db = fixtureDb();
    const north = computeSummary(db, NOW, TZ, [1]);
    // Courses with a session from this Monday on, or none yet: a, b (north); c (south).
    expect(north.fill.map((c) => c.code).sort()).toEqual(["a", "b"]);
    expect(north.waitlisted).toBe(1);
    expect(north.districtWeek).toBeDefined();
    const south = computeSummary(db, NOW, TZ, [2]);
    expect(south.fill.map((c) => c.code)).toEqual(["c"]);
    expect(south.waitlisted).toBe(0);
    const all = computeSummary(db, NOW, TZ);
    expect(all.districtWeek).toBeUndefined();
    expect(all.waitlisted).toBe(1);
  });
});

describe("the digest by scope", () => {
  it("reports a site's week, courses and ratings, with the district's week beside it", () => {
    const db = fixtureDb();
    const north = computeDigestFigures(db, { now: NOW, timezone: TZ, targets: TARGETS, siteIds: [1] });
    expect(north.weekStart).toBe("2026-11-23");
    expect(north.week).toEqual(periodFigures(db, FROM, TO, NOW, [1]));
    expect(north.week.enrolments).toBe(2);
    expect(north.districtWeek?.enrolments).toBe(3);
    expect(north.fill.every((c) => c.siteId === 1)).toBe(true);
    expect([...north.best, ...north.worst].map((c) => c.courseId).sort()).toEqual([1, 2]);
    const south = computeDigestFigures(db, { now: NOW, timezone: TZ, targets: TARGETS, siteIds: [2] });
    expect(south.week.enrolments).toBe(1);
    expect([...south.best, ...south.worst]).toEqual([]);
    const all = computeDigestFigures(db, { now: NOW, timezone: TZ, targets: TARGETS });
    expect(all.districtWeek).toBeUndefined();
    expect(all.week.enrolments).toBe(3);
  });
});

describe("/summary by scope", () => {
  it("shows staff of one site their site, with the district line; admins the district", async () => {
    const db = fixtureDb();
    const h = await createHarness({ db, now: NOW.toISOString() });
    const north = texts(
      await h.send({ id: USERS.staff1, first_name: "N", language_code: "zh" }, "/summary"),
    ).join("\n");
    expect(north).toContain("北街社区学校");
    expect(north).toContain("全区本周");
    expect(north).toContain("课程a");
    expect(north).not.toContain("课程c");
    const admin = texts(
      await h.send({ id: USERS.admin, first_name: "A", language_code: "zh" }, "/summary"),
    ).join("\n");
    expect(admin).toContain("全区");
    expect(admin).not.toContain("全区本周");
    expect(admin).toContain("课程c");
  });

  it("sends staff of one site their digest with the district's week", async () => {
    const db = fixtureDb();
    const h = await createHarness({ db, now: NOW.toISOString() });
    const north =
      texts(await h.send({ id: USERS.staff1, first_name: "N", language_code: "zh" }, "/digest"))[0] ?? "";
    expect(north).toContain("全区本周（供对比）");
    const admin =
      texts(await h.send({ id: USERS.admin, first_name: "A", language_code: "zh" }, "/digest"))[0] ?? "";
    expect(admin).not.toContain("全区本周（供对比）");
  }, 60_000);
});

describe("/report by scope", () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it("ends a site's monthly report with the district's line", async () => {
    const h = await emulatorBot(fixtureDb(), NOW);
    stop = h.stop;
    h.open(USERS.staff1, "zh");
    const got = await h.say(USERS.staff1, "/report 2026-11");
    const doc = got.find((m) => m.document);
    const file = h.state.files.get(doc?.document?.file_id ?? "");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file!.data as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const names: unknown[] = [];
    sheet.eachRow((row, i) => {
      if (i > 1) names.push((row.values as unknown[])[1]);
    });
    expect(names).toEqual(["北街社区学校", "全区（供对比）"]);
    // Seats taken by enrolments made in November: north a (3), b (4) = 7; south c, e = 2.
    const enrolments = (i: number) => Number((sheet.getRow(i).values as unknown[])[4]);
    expect(enrolments(2)).toBe(7);
    expect(enrolments(3)).toBe(9);
  });
});
