import { describe, expect, it } from "vitest";
import { recordAttendance } from "../../src/enrollment/attendance.ts";
import { enrolmentCalendar } from "../../src/enrollment/calendar.ts";
import { checkIn } from "../../src/enrollment/checkin.ts";
import { enrol } from "../../src/enrollment/enrol.ts";
import { addFamilyMember } from "../../src/enrollment/family.ts";
import { exportOwnData, forgetAccount } from "../../src/own-data/own-data.ts";
import { formTeamAsResident } from "../../src/selection/team-forming.ts";
import { enqueue } from "../../src/notify/outbox.ts";
import { addCourse, addUser, DAY_MS, freshDb, NOW, statusOf } from "./fixture.ts";

const MIN = 60_000;
const WHEN = { now: NOW, timezone: "Asia/Shanghai" };

function setup() {
  const db = freshDb();
  const start = new Date(NOW.getTime() + DAY_MS);
  const course = addCourse(db, { firstAt: start, minutes: 90 });
  const u = addUser(db, 1);
  const e = enrol(db, { courseId: course, personId: u.selfId, accountId: 1 }, NOW);
  const code = db
    .prepare("SELECT checkin_code FROM sessions WHERE course_id = ? AND seq = 1")
    .pluck()
    .get(course) as string;
  return { db, start, course, u, e, code };
}

describe("check-in", () => {
  it("marks present once, inside the window only", () => {
    const { db, start, code } = setup();
    const at = (m: number) => new Date(start.getTime() + m * MIN);
    expect(checkIn(db, { code, accountId: 1 }, at(-31))).toMatchObject({ kind: "tooEarly" });
    expect(checkIn(db, { code, accountId: 1 }, at(-30))).toMatchObject({ kind: "present", already: false });
    expect(checkIn(db, { code: code.toLowerCase(), accountId: 1 }, at(10))).toMatchObject({
      kind: "present",
      already: true,
    });
    expect(checkIn(db, { code, accountId: 1 }, at(90))).toMatchObject({ kind: "over" });
    expect(
      db
        .prepare("SELECT count(*) FROM attendance WHERE status = 'present' AND source = 'checkin'")
        .pluck()
        .get(),
    ).toBe(1);
  });

  it("answers a wrong or foreign code clearly", () => {
    const { db, start, code } = setup();
    addUser(db, 2);
    expect(checkIn(db, { code: "NOPE2345", accountId: 1 }, start)).toEqual({ kind: "unknown" });
    expect(checkIn(db, { code: "<script>", accountId: 1 }, start)).toEqual({ kind: "unknown" });
    expect(checkIn(db, { code, accountId: 2 }, start)).toMatchObject({ kind: "notEnrolled" });
    db.prepare("UPDATE sessions SET status = 'cancelled' WHERE checkin_code = ?").run(code);
    expect(checkIn(db, { code, accountId: 1 }, start)).toMatchObject({ kind: "cancelled" });
  });

  it("asks which family member when several are enrolled", () => {
    const { db, start, course, code } = setup();
    const kid = addFamilyMember(db, 1, { name: "小明", relation: "child", birthYear: 2015 }, NOW);
    enrol(db, { courseId: course, personId: kid.id, accountId: 1, acceptClash: true }, NOW);
    const r = checkIn(db, { code, accountId: 1 }, start);
    expect(r).toMatchObject({ kind: "choose", people: [{ name: "User1" }, { name: "小明" }] });
    expect(checkIn(db, { code, accountId: 1, personId: kid.id }, start)).toMatchObject({
      kind: "present",
      people: [{ id: kid.id }],
    });
    expect(checkIn(db, { code, accountId: 2, personId: kid.id }, start)).toMatchObject({
      kind: "notEnrolled",
    });
  });

  it("recordAttendance upserts one row per session and person", () => {
    const { db, u } = setup();
    recordAttendance(db, { sessionId: 1, personId: u.selfId, status: "excused", source: "reminder" }, NOW);
    recordAttendance(
      db,
      { sessionId: 1, personId: u.selfId, status: "present", source: "staff", by: 9 },
      NOW,
    );
    expect(db.prepare("SELECT status, source, recorded_by FROM attendance").all()).toEqual([
      { status: "present", source: "staff", recorded_by: 9 },
    ]);
  });
});

describe("calendar", () => {
  it("emits every session in UTC with stable uids", () => {
    const { db, e } = setup();
    if (e.kind !== "enrolled") throw new Error(e.kind);
    const r = enrolmentCalendar(db, { enrolmentId: e.enrolmentId, accountId: 1, locale: "zh", ...WHEN });
    if (r.kind !== "ok") throw new Error(r.kind);
    expect(r.sessions).toBe(4);
    expect(r.ics.match(/BEGIN:VEVENT/g)).toHaveLength(4);
    const start = new Date(NOW.getTime() + DAY_MS);
    const stamp = start
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    expect(r.ics).toContain(`DTSTART:${stamp}`);
    expect(r.ics).not.toContain("TZID");
    expect(r.ics).toContain("活动室");
    expect(
      enrolmentCalendar(db, { enrolmentId: e.enrolmentId, accountId: 2, locale: "zh", ...WHEN }),
    ).toEqual({
      kind: "notYours",
    });
  });

  it("holds sessions from today on, names the site and address, is named after the course, and counts moves", () => {
    const { db, e, course } = setup();
    if (e.kind !== "enrolled") throw new Error(e.kind);
    // The first class was yesterday (past), the second moves once.
    db.prepare("UPDATE sessions SET starts_at = ?, ends_at = ? WHERE course_id = ? AND seq = 1").run(
      new Date(NOW.getTime() - DAY_MS).toISOString(),
      new Date(NOW.getTime() - DAY_MS + 90 * MIN).toISOString(),
      course,
    );
    const second = db.prepare("SELECT id FROM sessions WHERE course_id = ? AND seq = 2").pluck().get(course);
    const before = enrolmentCalendar(db, { enrolmentId: e.enrolmentId, accountId: 1, locale: "en", ...WHEN });
    if (before.kind !== "ok") throw new Error(before.kind);
    expect(before.sessions).toBe(3);
    expect(before.fileName).toBe(`Calligraphy-${before.title.split(" ")[1]}.ics`);
    expect(before.ics).toContain("LOCATION:East Lake school\\, Hall\\, 1 East Lake Rd");
    expect(before.ics).toContain("(2/4)");
    const uid = `UID:lifelong-session-${second}@lifelong`;
    const eventOf = (ics: string) => ics.split("BEGIN:VEVENT").find((v) => v.includes(uid)) ?? "";
    expect(eventOf(before.ics)).toMatch(/SEQUENCE:0/);
    db.prepare(
      "INSERT INTO audit_log (at, actor_id, action, subject, details) VALUES (?, 1, 'session.move', ?, '{}')",
    ).run(NOW.toISOString(), `session:${second}`);
    const after = enrolmentCalendar(db, { enrolmentId: e.enrolmentId, accountId: 1, locale: "zh", ...WHEN });
    if (after.kind !== "ok") throw new Error(after.kind);
    expect(eventOf(after.ics)).toMatch(/SEQUENCE:1/);
    expect(after.fileName).toMatch(/^书法\d+\.ics$/);
    expect(after.ics).toContain("东湖社区学校，活动室，东湖路1号");
  });

  it("gives no calendar once the enrolment is cancelled", () => {
    const { db, e } = setup();
    if (e.kind !== "enrolled") throw new Error(e.kind);
    db.prepare("UPDATE enrolments SET status = 'cancelled' WHERE id = ?").run(e.enrolmentId);
    expect(
      enrolmentCalendar(db, { enrolmentId: e.enrolmentId, accountId: 1, locale: "zh", ...WHEN }),
    ).toEqual({
      kind: "notFound",
    });
  });
});

describe("own data", () => {
  it("exports the family's data and forgets it, passing seats on", () => {
    const db = freshDb();
    const course = addCourse(db, { capacity: 1 });
    const u = addUser(db, 1, "王秀兰");
    const other = addUser(db, 2);
    const kid = addFamilyMember(db, 1, { name: "小明", relation: "child", birthYear: 2015 }, NOW);
    const mine = enrol(db, { courseId: course, personId: kid.id, accountId: 1 }, NOW);
    const theirs = enrol(db, { courseId: course, personId: other.selfId, accountId: 2 }, NOW);
    db.prepare(
      "INSERT INTO feedback (kind, account_id, comment, created_at) VALUES ('suggestion', 1, 'more please', ?)",
    ).run(NOW.toISOString());
    db.prepare(
      "INSERT INTO volunteers (user_id, name, status, consent_at, created_at) VALUES (1, '王秀兰', 'approved', ?, ?)",
    ).run(NOW.toISOString(), NOW.toISOString());
    enqueue(db, { key: "reminder:x", chatId: 1, template: "t", dueAt: NOW }, NOW);
    expect(formTeamAsResident(db, { courseId: course, personId: kid.id, name: "晨读队" }, 1, NOW).kind).toBe(
      "formed",
    );

    const data = exportOwnData(db, 1, NOW);
    expect(data.teams).toMatchObject([{ team: "晨读队", person: "小明" }]);
    expect((data.people as unknown[]).length).toBe(2);
    expect(JSON.stringify(data)).toContain("小明");
    expect(JSON.stringify(data)).toContain("more please");
    expect(data.volunteer).not.toBeNull();

    const summary = forgetAccount(db, 1, NOW, { offerHours: 24 });
    expect(summary).toMatchObject({
      people: 2,
      enrolmentsCancelled: 1,
      feedback: 1,
      volunteer: true,
      messages: 1,
      offersMade: 1,
    });
    expect(db.prepare("SELECT count(*) FROM users WHERE id = 1").pluck().get()).toBe(0);
    expect(
      db.prepare("SELECT name, account_id FROM people WHERE id IN (?, ?)").all(u.selfId, kid.id),
    ).toEqual([
      { name: "—", account_id: null },
      { name: "—", account_id: null },
    ]);
    expect(db.prepare("SELECT count(*) FROM people").pluck().get()).toBe(3);
    if (mine.kind !== "enrolled" || theirs.kind !== "waitlisted") throw new Error("setup");
    expect(statusOf(db, mine.enrolmentId)).toBe("cancelled");
    expect(statusOf(db, theirs.enrolmentId)).toBe("offered");
    expect(db.prepare("SELECT account_id FROM feedback").pluck().get()).toBeNull();
    expect(db.prepare("SELECT count(*) FROM outbox WHERE chat_id = 1").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM volunteers").pluck().get()).toBe(0);
    // Out of the team, and the team, left empty, is gone with its name.
    expect(db.prepare("SELECT count(*) FROM learning_team_members").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM learning_teams").pluck().get()).toBe(0);
    expect(JSON.stringify(exportOwnData(db, 1, NOW))).not.toContain("小明");
  });
});
