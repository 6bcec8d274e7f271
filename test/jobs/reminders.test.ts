import { describe, expect, it } from "vitest";
import { HOUR, ManualClock, MINUTE } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { recordAttendance } from "../../src/enrollment/attendance.ts";
import { remindersJob } from "../../src/jobs/reminders.ts";
import { runJob } from "../../src/jobs/runner.ts";
import type { JobDeps } from "../../src/jobs/types.ts";
import { silentLogger } from "../../src/logger.ts";
import { zonedTimeToUtc } from "../../src/time.ts";
import { addCourse, addResident, addSession, enrol, freshDb, outboxRows } from "../notify/fixtures.ts";

function setup(env: Record<string, string> = {}, start = "2026-03-01T00:00:00.000Z") {
  const db = freshDb();
  const config = parseConfig(env);
  const clock = new ManualClock(start);
  const deps: JobDeps = { db, config, logger: silentLogger, clock };
  const course = addCourse(db);
  const wang = addResident(db, { id: 5001, first_name: "王秀兰" });
  enrol(db, course, wang, 5001);
  /** Runs the job as a cron tick would: at the clock's now. */
  const tick = () => runJob(deps, remindersJob, clock.now());
  return { db, config, clock, deps, course, wang, tick };
}

/** Ticks every `step` from the clock's time until `until`. */
async function tickUntil(s: ReturnType<typeof setup>, until: string, step = MINUTE) {
  while (s.clock.now().getTime() < Date.parse(until)) {
    s.clock.advance(step);
    await s.tick();
  }
}

const reminderKeys = (db: ReturnType<typeof setup>["db"]) =>
  outboxRows(db)
    .filter((r) => r.template === "notify.reminder")
    .map((r) => ({ lead: (JSON.parse(r.params) as { lead: number }).lead, due: r.due_at }));

describe("class reminders", () => {
  it("queues one reminder per lead time, each due exactly its lead before the start", async () => {
    const s = setup();
    const session = addSession(s.db, s.course, "2026-03-03T01:00:00.000Z");
    await s.tick(); // first run records the start of the window
    await tickUntil(s, "2026-03-02T00:50:00.000Z", 10 * MINUTE);
    await tickUntil(s, "2026-03-02T00:59:00.000Z");
    expect(reminderKeys(s.db)).toEqual([]);
    await tickUntil(s, "2026-03-02T01:00:00.000Z");
    expect(reminderKeys(s.db)).toEqual([{ lead: 24, due: "2026-03-02T01:00:00.000Z" }]);
    await tickUntil(s, "2026-03-02T22:30:00.000Z", 30 * MINUTE);
    await tickUntil(s, "2026-03-02T22:59:00.000Z");
    expect(reminderKeys(s.db)).toHaveLength(1);
    await tickUntil(s, "2026-03-02T23:00:00.000Z");
    expect(reminderKeys(s.db)).toEqual([
      { lead: 24, due: "2026-03-02T01:00:00.000Z" },
      { lead: 2, due: "2026-03-02T23:00:00.000Z" },
    ]);
    const row = outboxRows(s.db)[1];
    expect(row?.chat_id).toBe(5001);
    expect(row?.key).toBe(`reminder:${session}:${s.wang}:2h:2026-03-03T01:00:00.000Z`);
    await tickUntil(s, "2026-03-03T02:00:00.000Z", 5 * MINUTE);
    expect(reminderKeys(s.db)).toHaveLength(2);
  });

  it("follows config.reminderLeadHours", async () => {
    const s = setup({ REMINDER_LEAD_HOURS: "48,3" });
    addSession(s.db, s.course, "2026-03-05T01:00:00.000Z");
    await s.tick();
    await tickUntil(s, "2026-03-05T00:00:00.000Z", 15 * MINUTE);
    expect(reminderKeys(s.db).map((r) => r.lead)).toEqual([48, 3]);
    expect(reminderKeys(s.db).map((r) => r.due)).toEqual([
      "2026-03-03T01:00:00.000Z",
      "2026-03-04T22:00:00.000Z",
    ]);
  });

  it("two overlapping ticks over the same window queue each reminder once", async () => {
    const s = setup();
    addSession(s.db, s.course, "2026-03-02T00:01:00.000Z");
    await s.tick();
    s.clock.advance(2 * MINUTE);
    const now = s.clock.now();
    const [a, b] = await Promise.all([runJob(s.deps, remindersJob, now), runJob(s.deps, remindersJob, now)]);
    expect(Number(a.queued) + Number(b.queued)).toBe(1);
    expect(Number(a.already) + Number(b.already)).toBe(1);
    expect(reminderKeys(s.db)).toHaveLength(1);
  });

  it("after downtime sends the nearest reminder of sessions not yet begun and drops, counting, those already begun", async () => {
    const s = setup();
    await s.tick(); // 2026-03-01 00:00
    const later = addSession(s.db, s.course, "2026-03-02T12:00:00.000Z"); // both leads fell in the gap
    const begun = addSession(s.db, s.course, "2026-03-02T09:00:00.000Z"); // started during the gap
    s.clock.set("2026-03-02T10:30:00.000Z"); // down for 34.5 hours
    const result = await s.tick();
    const keys = outboxRows(s.db).map((r) => r.key);
    expect(keys).toEqual([`reminder:${later}:${s.wang}:2h:2026-03-02T12:00:00.000Z`]);
    expect(keys.some((k) => k.startsWith(`reminder:${begun}:`))).toBe(false);
    expect(result).toMatchObject({ queued: 1, superseded: 1, missed: 2 });
  });

  it("skips people who already said they cannot come, cancelled sessions, and waitlisted people", async () => {
    const s = setup();
    const excused = addSession(s.db, s.course, "2026-03-01T20:00:00.000Z");
    recordAttendance(
      s.db,
      { sessionId: excused, personId: s.wang, status: "excused", source: "reminder" },
      s.clock.now(),
    );
    const cancelled = addSession(s.db, s.course, "2026-03-01T21:00:00.000Z");
    s.db.prepare("UPDATE sessions SET status = 'cancelled' WHERE id = ?").run(cancelled);
    const li = addResident(s.db, { id: 5002, first_name: "李" });
    enrol(s.db, s.course, li, 5002, "waitlisted", 1);
    await s.tick();
    s.clock.advance(MINUTE);
    await s.tick();
    expect(outboxRows(s.db)).toEqual([]);
  });

  it("reminds of a session at 00:30 local time the evening before and two hours before (Asia/Shanghai)", async () => {
    const s = setup({}, "2026-03-09T10:00:00.000Z");
    const starts = zonedTimeToUtc("2026-03-11", "00:30", "Asia/Shanghai"); // 2026-03-10T16:30Z
    expect(starts.toISOString()).toBe("2026-03-10T16:30:00.000Z");
    addSession(s.db, s.course, starts.toISOString());
    await s.tick();
    await tickUntil(s, "2026-03-10T16:00:00.000Z", 5 * MINUTE);
    // 00:30 on the 10th and 22:30 on the 10th, local time.
    expect(reminderKeys(s.db).map((r) => r.due)).toEqual([
      zonedTimeToUtc("2026-03-10", "00:30", "Asia/Shanghai").toISOString(),
      zonedTimeToUtc("2026-03-10", "22:30", "Asia/Shanghai").toISOString(),
    ]);
  });

  it("on the day Europe/Berlin springs forward, 24 h means 24 real hours", async () => {
    const tz = { TIMEZONE: "Europe/Berlin" };
    const s = setup(tz, "2026-03-27T12:00:00.000Z");
    // Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST. A class at 10:00 local is 08:00Z.
    const starts = zonedTimeToUtc("2026-03-29", "10:00", "Europe/Berlin");
    expect(starts.toISOString()).toBe("2026-03-29T08:00:00.000Z");
    addSession(s.db, s.course, starts.toISOString());
    await s.tick();
    await tickUntil(s, "2026-03-29T07:00:00.000Z", 10 * MINUTE);
    const dues = reminderKeys(s.db).map((r) => r.due);
    // 24 h before is 09:00 local on Saturday (still CET); 2 h before is 08:00 local (CEST).
    expect(dues).toEqual(["2026-03-28T08:00:00.000Z", "2026-03-29T06:00:00.000Z"]);
    expect(dues.map((d) => new Date(d).getTime())).toEqual([
      starts.getTime() - 24 * HOUR,
      starts.getTime() - 2 * HOUR,
    ]);
  });

  it("a moved session gets reminders at its new time; the old ones are not sent", async () => {
    const s = setup();
    const session = addSession(s.db, s.course, "2026-03-02T01:00:00.000Z");
    await s.tick();
    await tickUntil(s, "2026-03-01T01:05:00.000Z", 5 * MINUTE);
    expect(reminderKeys(s.db)).toHaveLength(1);
    s.db
      .prepare("UPDATE sessions SET starts_at = ?, ends_at = ? WHERE id = ?")
      .run("2026-03-03T01:00:00.000Z", "2026-03-03T02:30:00.000Z", session);
    await tickUntil(s, "2026-03-02T23:00:00.000Z", 10 * MINUTE);
    const keys = outboxRows(s.db).map((r) => r.key);
    expect(keys).toContain(`reminder:${session}:${s.wang}:24h:2026-03-03T01:00:00.000Z`);
    expect(keys).toContain(`reminder:${session}:${s.wang}:2h:2026-03-03T01:00:00.000Z`);
    expect(keys).not.toContain(`reminder:${session}:${s.wang}:2h:2026-03-02T01:00:00.000Z`);
  });
});
