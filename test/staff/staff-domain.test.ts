import { describe, expect, it } from "vitest";
import { parseWeekly } from "../../src/catalog/schedule.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { staffRecipients } from "../../src/people/recipients.ts";
import { canManageCourse, canSeeRoster } from "../../src/staff/access.ts";
import { decodeMask, encodeMask, isPresent, toggle } from "../../src/staff/attendance-sheet.ts";
import { createBroadcast, parseAudience, recipients } from "../../src/staff/broadcast.ts";
import { grantRole, revokeRole } from "../../src/staff/grants.ts";
import { checkTelegramHtml } from "../../src/staff/html-check.ts";
import { COURSES, NOW, seedFixture, USERS } from "../reports/fixture.ts";

function db() {
  const d = openDatabase(":memory:");
  migrate(d);
  seedFixture(d);
  return d;
}

describe("checkTelegramHtml", () => {
  it("accepts Telegram's tags and escapes a bare & or >", () => {
    expect(checkTelegramHtml('<b>粗</b> <i>i</i> <a href="https://x.cn">link</a> A & B > C &amp;')).toEqual({
      ok: true,
      html: '<b>粗</b> <i>i</i> <a href="https://x.cn">link</a> A &amp; B &gt; C &amp;',
      plainLength: 20, // "粗 i link A & B > C &"
    });
  });
  it("refuses unclosed, crossed or unknown tags and a stray <", () => {
    for (const bad of ["<b>x", "<b><i>x</b></i>", "<script>x</script>", "a < b", "<a>x</a>", "x</b>"]) {
      expect(checkTelegramHtml(bad), bad).toEqual({ ok: false, problem: "badFormat" });
    }
  });
  it("counts the length after formatting, at most 4096", () => {
    expect(checkTelegramHtml(`<b>${"字".repeat(4096)}</b>`).ok).toBe(true);
    expect(checkTelegramHtml("字".repeat(4097))).toEqual({ ok: false, problem: "tooLong" });
    expect(checkTelegramHtml(" <b> </b> ")).toEqual({ ok: false, problem: "empty" });
  });
});

describe("access", () => {
  it("scopes course management and rosters by site, teaching and health", () => {
    const d = db();
    expect(canManageCourse(d, USERS.staff1, COURSES.A)).toBe(true);
    expect(canManageCourse(d, USERS.staff2, COURSES.A)).toBe(false);
    expect(canManageCourse(d, USERS.teacherA, COURSES.A)).toBe(false);
    expect(canSeeRoster(d, USERS.teacherA, COURSES.A)).toBe(true);
    expect(canSeeRoster(d, USERS.teacherA, COURSES.B)).toBe(false);
    expect(canSeeRoster(d, USERS.teacherB, COURSES.B)).toBe(true); // courses.teacher_user_id
    expect(canSeeRoster(d, USERS.wang, COURSES.A)).toBe(false);
    expect(canSeeRoster(d, USERS.staff1, COURSES.H)).toBe(true);
    expect(canSeeRoster(d, USERS.staff2, COURSES.H)).toBe(false);
    expect(staffRecipients(d)).toEqual([USERS.admin, USERS.staff1, USERS.staff2]);
  });
});

describe("grants", () => {
  it("grants and revokes idempotently, with an audit trail", () => {
    const d = db();
    expect(grantRole(d, USERS.admin, "201", "teacher", "b", NOW)).toMatchObject({
      ok: true,
      changed: true,
      courseId: COURSES.B,
    });
    expect(grantRole(d, USERS.admin, "201", "teacher", "b", NOW)).toMatchObject({ ok: true, changed: false });
    expect(grantRole(d, USERS.admin, "201", "teacher", undefined, NOW)).toEqual({
      ok: false,
      problem: "needsCourse",
    });
    expect(grantRole(d, USERS.admin, "999", "staff", undefined, NOW)).toEqual({
      ok: false,
      problem: "unknownUser",
    });
    expect(grantRole(d, USERS.admin, "201", "boss", undefined, NOW)).toEqual({
      ok: false,
      problem: "badRole",
    });
    expect(revokeRole(d, USERS.admin, "201", "teacher", "b", NOW)).toMatchObject({ ok: true });
    expect(revokeRole(d, USERS.admin, "201", "teacher", "b", NOW)).toEqual({ ok: false, problem: "notHeld" });
    expect(d.prepare("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'role.%'").pluck().get()).toBe(2);
  });
});

describe("broadcast audiences", () => {
  it("finds the recipients of each audience", () => {
    const d = db();
    d.prepare("UPDATE users SET news_opt_in = 1 WHERE id IN (201, 202)").run();
    expect(recipients(d, parseAudience("news")!)).toEqual([201, 202]);
    expect(recipients(d, parseAudience("vol")!)).toEqual([USERS.volunteer]);
    expect(recipients(d, parseAudience(`c${COURSES.B}`)!)).toEqual([200, 201, 202]); // not the waitlisted 203
    expect(recipients(d, parseAudience("s2")!)).toEqual([200, 202, 204]);
    expect(parseAudience("x1")).toBeNull();
    const b = createBroadcast(d, USERS.admin, { kind: "volunteers" }, "hi", NOW);
    expect(b.count).toBe(1);
    expect(d.prepare("SELECT key FROM outbox").pluck().all()).toEqual([
      `broadcast:${b.id}:${USERS.volunteer}`,
    ]);
  });
});

describe("attendance masks and schedules", () => {
  it("round-trips masks and toggles bits", () => {
    const m = toggle(toggle(0n, 0), 140);
    expect(decodeMask(encodeMask(m))).toBe(m);
    expect(isPresent(m, 140)).toBe(true);
    expect(isPresent(m, 1)).toBe(false);
    expect(decodeMask("A!")).toBeUndefined();
  });
  it("parses a typed weekly schedule", () => {
    expect(parseWeekly("2026-12-07 mon,thu 09:00 90 10")).toEqual({
      start: "2026-12-07",
      weekdays: ["mon", "thu"],
      time: "09:00",
      duration_minutes: 90,
      weeks: 10,
    });
    expect(parseWeekly("2026-02-30 mon 09:00 90 10")).toBeNull();
    expect(parseWeekly("2026-12-07 funday 09:00 90 10")).toBeNull();
  });
});
