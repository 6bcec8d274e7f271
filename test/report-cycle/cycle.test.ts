import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { fromRoot } from "../../src/paths.ts";
import {
  addVoiceNote,
  cycleDates,
  getReport,
  openDrafts,
  saveSection,
  submitReport,
  takeOverdue,
  yearGrid,
} from "../../src/report-cycle/cycle.ts";
import { byCategory, draftCourses, draftCoursesBySite } from "../../src/report-cycle/draft.ts";
import { loadWorkdays } from "../../src/report-cycle/workdays.ts";

const TZ = "Asia/Shanghai";
const cal = loadWorkdays(fromRoot("data", "workdays.yaml"));
/** A local time in Shanghai (UTC+8) as an instant. */
const local = (s: string) => new Date(`${s}+08:00`);

function district(): Db {
  const db = openDatabase(":memory:");
  migrate(db);
  const site = db.prepare("INSERT INTO sites (id, code, kind, name_zh, name_en) VALUES (?, ?, ?, ?, ?)");
  site.run(1, "centre", "centre", "区中心", "Centre");
  site.run(2, "north", "school", "北街", "North");
  site.run(3, "south", "school", "南街", "South");
  site.run(4, "east", "school", "东街", "East");
  site.run(5, "pri", "partner", "实验小学", "Primary");
  return db;
}

describe("the September 2026 report, in a month that begins with a week of holidays", () => {
  it("opens on the first working day (8 October) and is late from the fifth (13 October)", () => {
    const d = cycleDates(cal, "2026-09", TZ);
    expect([d.opensOn, d.lateOn]).toEqual(["2026-10-08", "2026-10-13"]);
    expect(d.dueAt.toISOString()).toBe("2026-10-12T16:00:00.000Z");
  });

  it("opens one draft per community school, once", () => {
    const db = district();
    expect(openDrafts(db, cal, local("2026-10-07T23:59:00"), TZ).opened).toEqual([]);
    const first = openDrafts(db, cal, local("2026-10-08T08:00:00"), TZ);
    expect(first.month).toBe("2026-09");
    expect(first.opened.map((o) => o.siteId)).toEqual([2, 3, 4]);
    expect(openDrafts(db, cal, local("2026-10-09T08:00:00"), TZ).opened).toEqual([]);
  });

  it("keeps sections up to 1,000 characters and refuses a longer one with its length", () => {
    const db = district();
    const [r] = openDrafts(db, cal, local("2026-10-08T08:00:00"), TZ).opened;
    expect(saveSection(db, r!.id, "highlights", "学".repeat(1000))).toEqual({ kind: "saved", length: 1000 });
    // 1,000 characters plus one family emoji (seven code points, one character): 1,001.
    expect(saveSection(db, r!.id, "problems", `${"难".repeat(1000)}👨‍👩‍👧‍👦`)).toEqual({
      kind: "tooLong",
      length: 1001,
      max: 1000,
    });
    expect(saveSection(db, r!.id, "problems", "   ")).toEqual({ kind: "empty" });
    expect(addVoiceNote(db, r!.id, { section: "next_plan", fileId: "VOICE-1", seconds: 12 }).kind).toBe(
      "saved",
    );
    const stored = getReport(db, r!.id)!;
    expect(stored.problems).toBe("");
    expect(stored.attachments).toEqual([{ section: "next_plan", fileId: "VOICE-1", seconds: 12 }]);
  });

  it("grades on time, late and missing, and reminds each unsubmitted site once", () => {
    const db = district();
    const opened = openDrafts(db, cal, local("2026-10-08T08:00:00"), TZ).opened;
    const id = (site: number) => opened.find((o) => o.siteId === site)!.id;
    expect(submitReport(db, id(2), 77, local("2026-10-12T17:00:00"))).toEqual({
      kind: "submitted",
      late: false,
    });
    expect(takeOverdue(db, "2026-09", local("2026-10-12T23:00:00"))).toEqual([]);
    expect(takeOverdue(db, "2026-09", local("2026-10-13T08:30:00")).map((r) => r.siteId)).toEqual([3, 4]);
    expect(takeOverdue(db, "2026-09", local("2026-10-14T08:30:00"))).toEqual([]);
    expect(submitReport(db, id(3), 78, local("2026-10-13T09:00:00"))).toEqual({
      kind: "submitted",
      late: true,
    });
    expect(submitReport(db, id(3), 78, local("2026-10-13T09:05:00")).kind).toBe("already");
    expect(saveSection(db, id(3), "highlights", "补充").kind).toBe("submitted");

    const grid = yearGrid(db, 2026, local("2026-10-20T12:00:00"));
    expect(grid.map((g) => [g.code, g.months[7], g.months[8], g.months[9]])).toEqual([
      ["north", "none", "submitted", "none"],
      ["south", "none", "late", "none"],
      ["east", "none", "missing", "none"],
    ]);
  });
});

describe("the draft's figures", () => {
  it("sums each course and each category of the site's month, by hand", () => {
    const db = district();
    const at = "2026-08-01T00:00:00.000Z";
    const course = db.prepare(
      `INSERT INTO courses (id, code, category, site_id, title_zh, title_en, capacity, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 20, ?, ?)`,
    );
    course.run(1, "art1", "arts", 2, "书法", "Calligraphy", at, at);
    course.run(2, "art2", "arts", 2, "国画", "Painting", at, at);
    course.run(3, "pc", "computer", 2, "电脑", "Computers", at, at);
    course.run(4, "far", "arts", 3, "南街书法", "South calligraphy", at, at);
    const session = db.prepare(
      "INSERT INTO sessions (id, course_id, seq, starts_at, ends_at, checkin_code) VALUES (?, ?, ?, ?, ?, ?)",
    );
    // September (local): art1 twice, pc once; art2 only in August; the far course is another site.
    session.run(1, 1, 1, "2026-09-02T01:00:00.000Z", "2026-09-02T02:00:00.000Z", "A1");
    session.run(2, 1, 2, "2026-09-09T01:00:00.000Z", "2026-09-09T02:00:00.000Z", "A2");
    session.run(3, 3, 1, "2026-09-30T16:30:00.000Z", "2026-09-30T17:30:00.000Z", "P1"); // 1 Oct local: not September
    session.run(4, 3, 2, "2026-09-15T01:00:00.000Z", "2026-09-15T02:00:00.000Z", "P2");
    session.run(5, 2, 1, "2026-08-20T01:00:00.000Z", "2026-08-20T02:00:00.000Z", "B1");
    session.run(6, 4, 1, "2026-09-03T01:00:00.000Z", "2026-09-03T02:00:00.000Z", "F1");
    const person = db.prepare("INSERT INTO people (id, name, relation, created_at) VALUES (?, ?, 'self', ?)");
    for (const p of [1, 2, 3]) person.run(p, `P${p}`, at);
    const enrol = db.prepare(
      "INSERT INTO enrolments (course_id, person_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
    );
    enrol.run(1, 1, "enrolled", "2026-09-01T03:00:00.000Z", at); // counts
    enrol.run(1, 2, "cancelled", "2026-09-01T03:00:00.000Z", at); // not a seat
    enrol.run(2, 3, "enrolled", "2026-09-20T03:00:00.000Z", at); // art2: a new seat, no session
    enrol.run(3, 1, "enrolled", "2026-08-25T03:00:00.000Z", at); // August
    const mark = db.prepare(
      "INSERT INTO attendance (session_id, person_id, status, source, recorded_at) VALUES (?, ?, ?, 'staff', ?)",
    );
    mark.run(1, 1, "present", at);
    mark.run(2, 1, "present", at);
    mark.run(2, 2, "absent", at);
    mark.run(4, 1, "present", at);
    const courses = draftCourses(
      db,
      2,
      new Date("2026-08-31T16:00:00.000Z"),
      new Date("2026-09-30T16:00:00.000Z"),
    );
    expect(courses.map((c) => [c.code, c.sessions, c.enrolments, c.present])).toEqual([
      ["art1", 2, 1, 2],
      ["art2", 0, 1, 0],
      ["pc", 1, 0, 1],
    ]);
    // The whole district in one pass gives the same for site 2, and site 3's own course.
    const all = draftCoursesBySite(
      db,
      new Date("2026-08-31T16:00:00.000Z"),
      new Date("2026-09-30T16:00:00.000Z"),
    );
    expect(all.get(2)).toEqual(courses);
    expect(all.get(3)?.map((c) => [c.code, c.sessions])).toEqual([["far", 1]]);
    expect(byCategory(courses)).toEqual([
      { category: "arts", courses: 2, sessions: 2, enrolments: 2, present: 2 },
      { category: "computer", courses: 1, sessions: 1, enrolments: 0, present: 1 },
    ]);
  });
});
