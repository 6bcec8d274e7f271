import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { computeDigestFigures } from "../../src/reports/digest.ts";
import { monthlyReport, monthRange } from "../../src/reports/monthly.ts";
import { computeSummary } from "../../src/reports/summary.ts";
import { COURSES, NOW, seedFixture, TARGETS, TZ } from "./fixture.ts";

function fixtureDb() {
  const db = openDatabase(":memory:");
  migrate(db);
  seedFixture(db);
  return db;
}

describe("computeDigestFigures", () => {
  const db = fixtureDb();
  const f = computeDigestFigures(db, { now: NOW, timezone: TZ, targets: TARGETS });

  it("reports the last complete local week", () => {
    expect(f.weekStart).toBe("2026-11-23");
    expect(f.weekEnd).toBe("2026-11-30");
    expect(f.year).toBe(2026);
  });

  it("counts the week by hand-computed figures", () => {
    // enrolments: A/p1 (23rd), A/p4 (24th), E/p3 (27th); A/p3 was made the week before and is cancelled.
    expect(f.week).toEqual({
      enrolments: 3,
      cancellations: 1,
      waitlistJoins: 1,
      sessionsHeld: 4, // a1, b1, h1, e1
      present: 6, // a1: 2, b1: 3, h1: 1
      expected: 9, // A 3 + B 4 + H 1 + E 1
      attendanceRate: 0.667,
      newVolunteers: 1, // the declined one is left out
      volunteerHours: 2.5,
      ratings: 2,
      averageRating: 3.5,
    });
    expect(f.previousWeek).toEqual({
      enrolments: 1, // C/p1
      cancellations: 0,
      waitlistJoins: 0,
      sessionsHeld: 1,
      present: 1,
      expected: 3,
      attendanceRate: 0.333,
      newVolunteers: 0,
      volunteerHours: 3,
      ratings: 0,
      averageRating: null,
    });
  });

  it("measures the year against the targets", () => {
    // p1, p2, p3, p4 — not p5 (waitlisted only) nor p6 (enrolled in a 2025 course).
    expect(f.totals).toEqual({
      residentsEducated: 4,
      courseKinds: 3, // arts, computer, parenting; C has no session, F ran in 2025, E is an event
      events: 1,
      residents: 1500,
      participationRate: 0.003,
      volunteerHours: 5.5,
    });
    expect(f.targets.residents_educated).toBe(2000);
  });

  it("lists fill, half-empty courses and long waitlists, including a course with no sessions", () => {
    const byId = new Map(f.fill.map((c) => [c.courseId, c]));
    expect([...byId.keys()].sort()).toEqual([COURSES.A, COURSES.B, COURSES.C, COURSES.H, COURSES.E]);
    expect(byId.get(COURSES.A)).toMatchObject({ seats: 3, capacity: 10, fillRate: 0.3, waitlist: 0 });
    expect(byId.get(COURSES.B)).toMatchObject({ seats: 4, capacity: 4, fillRate: 1, waitlist: 1 });
    expect(byId.get(COURSES.C)).toMatchObject({ seats: 1, capacity: 20, fillRate: 0.05 });
    expect(f.underHalf.map((c) => c.courseId).sort()).toEqual([COURSES.A, COURSES.C, COURSES.H, COURSES.E]);
    expect(f.longWaitlists.map((c) => c.courseId)).toEqual([COURSES.B]);
  });

  it("names the best and worst rated courses, keeping anonymous raters anonymous", () => {
    expect(f.best).toEqual([
      {
        courseId: COURSES.A,
        titleZh: "课程a",
        titleEn: "Course a",
        ratings: 1,
        average: 5,
        comments: [{ name: "王秀兰", stars: 5, text: "很好" }],
      },
    ]);
    expect(f.worst).toEqual([
      {
        courseId: COURSES.B,
        titleZh: "课程b",
        titleEn: "Course b",
        ratings: 2,
        average: 3,
        comments: [{ name: null, stars: 2, text: "太快了" }],
      },
    ]);
    expect(f.wishes).toEqual([
      { topic: "computer", count: 2 },
      { topic: "arts", count: 1 },
    ]);
  });

  it("gives eight weeks of enrolments and attendance, oldest first", () => {
    expect(f.weekly.map((w) => w.weekStart)).toEqual([
      "2026-10-05",
      "2026-10-12",
      "2026-10-19",
      "2026-10-26",
      "2026-11-02",
      "2026-11-09",
      "2026-11-16",
      "2026-11-23",
    ]);
    expect(f.weekly.map((w) => [w.enrolments, w.present])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [4, 0],
      [0, 0],
      [1, 0],
      [1, 1],
      [3, 6], // B's four came on Sunday 1 Nov
    ]);
  });

  it("gives zeros, not errors, for a week with no activity", () => {
    const quiet = computeDigestFigures(db, {
      now: new Date("2026-08-10T02:00:00.000Z"),
      timezone: TZ,
      targets: TARGETS,
    });
    expect(quiet.weekStart).toBe("2026-08-03");
    expect(quiet.week).toEqual({
      enrolments: 0,
      cancellations: 0,
      waitlistJoins: 0,
      sessionsHeld: 0,
      present: 0,
      expected: 0,
      attendanceRate: null,
      newVolunteers: 0,
      volunteerHours: 0,
      ratings: 0,
      averageRating: null,
    });
    expect(quiet.weekly.every((w) => w.enrolments === 0 && w.present === 0)).toBe(true);
  });

  it("works on an empty database", () => {
    const empty = openDatabase(":memory:");
    migrate(empty);
    const e = computeDigestFigures(empty, { now: NOW, timezone: TZ, targets: TARGETS });
    expect(e.totals).toEqual({
      residentsEducated: 0,
      courseKinds: 0,
      events: 0,
      residents: 0,
      participationRate: null,
      volunteerHours: 0,
    });
    expect(e.fill).toEqual([]);
  });
});

describe("computeSummary", () => {
  it("counts today and this week so far", () => {
    const db = fixtureDb();
    // Wednesday 2026-11-25 15:00 local: the week so far is Mon 23rd..now.
    const now = new Date("2026-11-25T07:00:00.000Z");
    const s = computeSummary(db, now, TZ);
    expect(s.week.enrolments).toBe(2); // A/p1, A/p4 (E/p3 comes on the 27th)
    expect(s.week.cancellations).toBe(1);
    expect(s.week.sessionsHeld).toBe(2); // a1 and b1 (14:00 local today)
    expect(s.week.present).toBe(5);
    expect(s.today.sessionsHeld).toBe(1);
    expect(s.today.cancellations).toBe(1);
    expect(s.today.enrolments).toBe(0);
    expect(s.waitlisted).toBe(1);
    expect(s.longWaitlists.map((c) => c.courseId)).toEqual([COURSES.B]);
  });
});

describe("monthlyReport", () => {
  it("gives per-site figures for a month", () => {
    const db = fixtureDb();
    const range = monthRange("2026-11", TZ)!;
    const rows = monthlyReport(db, range.from, range.to);
    const north = rows.find((r) => r.code === "north")!;
    const south = rows.find((r) => r.code === "south")!;
    // North: A (a1, a2), B (b1), H (h1) held in November.
    expect(north).toMatchObject({
      courses: 3,
      sessionsHeld: 4,
      attendance: 7,
      volunteerHours: 5.5,
      ratings: 2,
      averageRating: 3.5,
    });
    expect(north.enrolments).toBe(7); // A: p1, p2, p4; B: p1..p4
    // First enrolments ever made in November at North: p1 (B, 1 Nov), p3 (B), p4 (B); p2 first enrolled in
    // October (H); p5 is only on a waitlist.
    expect(north.newParticipants).toBe(3);
    expect(south).toMatchObject({
      courses: 1,
      sessionsHeld: 1,
      attendance: 0,
      enrolments: 2,
      newParticipants: 0,
    });
    expect(monthRange("2026-13", TZ)).toBeNull();
  });
});
