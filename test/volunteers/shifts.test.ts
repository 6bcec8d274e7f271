import { describe, expect, it } from "vitest";
import { HOUR } from "../../src/clock.ts";
import { enqueueShiftReminders, escalateShortShifts, pingOpenShifts } from "../../src/jobs/shifts.ts";
import {
  adjustHours,
  cancelShift,
  checkInShift,
  createShift,
  hoursThisYear,
  myUpcomingShifts,
  respondToShift,
  withdrawFromShift,
} from "../../src/volunteers/shifts.ts";
import { getShift } from "../../src/volunteers/shifts-store.ts";
import { changeVolunteerStatus } from "../../src/volunteers/volunteers.ts";
import {
  addStaff,
  addVolunteer,
  assignmentStatus,
  freshDb,
  NOW,
  outbox,
  SAT_MORNING,
  TZ,
} from "./fixtures.ts";

function open(db: ReturnType<typeof freshDb>, needed: number, when = SAT_MORNING) {
  const r = createShift(
    db,
    null,
    { titleZh: "活动帮忙", titleEn: "Event help", siteId: 1, venueId: 1, ...when, needed },
    TZ,
    NOW,
  );
  if (!r.ok) throw new Error(r.reason);
  return r;
}

describe("accepting shifts", () => {
  it("fills with the first N accepts and tells later ones it is full", () => {
    const db = freshDb();
    for (let id = 1; id <= 4; id++) addVolunteer(db, id);
    const { shiftId, pinged } = open(db, 2);
    expect(pinged).toEqual([1, 2, 3, 4]);
    expect(respondToShift(db, 3, shiftId, true, NOW)).toMatchObject({
      ok: true,
      status: "accepted",
      filled: false,
    });
    expect(respondToShift(db, 3, shiftId, true, NOW)).toEqual({ ok: false, reason: "already" });
    expect(respondToShift(db, 1, shiftId, true, NOW)).toMatchObject({ ok: true, filled: true });
    expect(getShift(db, shiftId)?.status).toBe("filled");
    expect(assignmentStatus(db, shiftId, 2)).toBe("filled");
    expect(assignmentStatus(db, shiftId, 4)).toBe("filled");
    expect(respondToShift(db, 2, shiftId, true, NOW)).toEqual({ ok: false, reason: "full" });
    expect(
      db
        .prepare("SELECT COUNT(*) FROM shift_assignments WHERE shift_id = ? AND status = 'accepted'")
        .pluck()
        .get(shiftId),
    ).toBe(2);
  });

  it("refuses an accept from someone not asked, on a cancelled shift, or on a clashing time", () => {
    const db = freshDb();
    addStaff(db, 90);
    addVolunteer(db, 1);
    addVolunteer(db, 2);
    const a = open(db, 1);
    const b = open(db, 1, {
      startsAt: new Date(SAT_MORNING.startsAt.getTime() + HOUR),
      endsAt: new Date(SAT_MORNING.endsAt.getTime() + HOUR),
    });
    addVolunteer(db, 3);
    expect(respondToShift(db, 3, a.shiftId, true, NOW)).toEqual({ ok: false, reason: "not_asked" });
    expect(respondToShift(db, 1, a.shiftId, true, NOW).ok).toBe(true);
    expect(respondToShift(db, 1, b.shiftId, true, NOW)).toEqual({ ok: false, reason: "clash" });
    expect(cancelShift(db, 1, b.shiftId, NOW)).toBe(false); // not staff
    expect(cancelShift(db, 90, b.shiftId, NOW)).toBe(true);
    expect(respondToShift(db, 2, b.shiftId, true, NOW)).toEqual({ ok: false, reason: "cancelled" });
    expect(respondToShift(db, 999, a.shiftId, true, NOW)).toEqual({ ok: false, reason: "not_volunteer" });
  });
});

describe("withdrawing", () => {
  it("reopens the shift, tells staff, takes back reminders and pings the next volunteers", () => {
    const db = freshDb();
    addStaff(db, 90);
    addStaff(db, 91, "admin");
    addVolunteer(db, 1);
    addVolunteer(db, 2);
    const { shiftId, pinged } = open(db, 1);
    expect(pinged).toEqual([1, 2]);
    respondToShift(db, 1, shiftId, true, NOW);
    expect(assignmentStatus(db, shiftId, 2)).toBe("filled");
    addVolunteer(db, 3);
    const later = new Date(SAT_MORNING.startsAt.getTime() - 20 * HOUR);
    expect(enqueueShiftReminders(db, later)).toBe(1);
    const r = withdrawFromShift(db, 1, shiftId, TZ, later);
    expect(r.ok).toBe(true);
    expect(getShift(db, shiftId)?.status).toBe("open");
    // The one told "filled" before and the newcomer are asked now; the one who withdrew is not.
    expect(r.ok && [...r.pinged].sort()).toEqual([2, 3]);
    expect(outbox(db, "shift-withdrawn:").map((o) => o.chatId)).toEqual([90, 91]);
    expect(outbox(db, "shift-reminder:").map((o) => o.state)).toEqual(["cancelled"]);
    expect(withdrawFromShift(db, 1, shiftId, TZ, later)).toEqual({ ok: false, reason: "not_accepted" });
    expect(respondToShift(db, 1, shiftId, true, later)).toEqual({ ok: false, reason: "not_asked" });
  });

  it("leaving withdraws from upcoming shifts; pausing voids waiting pings", () => {
    const db = freshDb();
    addVolunteer(db, 1);
    addVolunteer(db, 2);
    const { shiftId } = open(db, 1);
    expect(changeVolunteerStatus(db, 2, "pause", NOW)).toMatchObject({ ok: true, status: "paused" });
    expect(assignmentStatus(db, shiftId, 2)).toBe("cancelled");
    expect(changeVolunteerStatus(db, 2, "pause", NOW)).toEqual({ ok: false, reason: "not_allowed" });
    respondToShift(db, 1, shiftId, true, NOW);
    expect(changeVolunteerStatus(db, 1, "leave", NOW)).toEqual({
      ok: true,
      status: "left",
      withdrawn: [shiftId],
    });
  });
});

describe("short-staffed shifts", () => {
  it("48 hours before, pings a further batch and tells staff once", () => {
    const db = freshDb();
    addStaff(db, 90);
    for (let id = 1; id <= 6; id++) addVolunteer(db, id);
    const { shiftId, pinged } = open(db, 2);
    expect(pinged).toHaveLength(4);
    respondToShift(db, pinged[0]!, shiftId, true, NOW);
    // Three days before: nothing to escalate, and the waiting pings are still fresh.
    expect(escalateShortShifts(db, TZ, new Date(SAT_MORNING.startsAt.getTime() - 72 * HOUR))).toEqual([]);
    const at = new Date(SAT_MORNING.startsAt.getTime() - 47 * HOUR);
    expect(escalateShortShifts(db, TZ, at)).toEqual([shiftId]);
    expect(outbox(db, `shift-short:${shiftId}:`).map((o) => o.chatId)).toEqual([90]);
    expect(
      db
        .prepare("SELECT COUNT(*) FROM shift_assignments WHERE shift_id = ? AND status = 'pinged'")
        .pluck()
        .get(shiftId),
    ).toBe(5);
    expect(escalateShortShifts(db, TZ, new Date(at.getTime() + HOUR))).toEqual([]);
    expect(outbox(db, "shift-short:")).toHaveLength(1);
  });

  it("the periodic job tops up pings for open shifts and skips full ones", () => {
    const db = freshDb();
    const { shiftId } = open(db, 1); // nobody to ask yet
    addVolunteer(db, 1);
    addVolunteer(db, 2);
    expect(pingOpenShifts(db, TZ, NOW)).toBe(2);
    respondToShift(db, 1, shiftId, true, NOW);
    addVolunteer(db, 3);
    expect(pingOpenShifts(db, TZ, NOW)).toBe(0);
  });
});

describe("reminders, check-in and hours", () => {
  it("reminds 24 h and 2 h before, once each", () => {
    const db = freshDb();
    addVolunteer(db, 1);
    const { shiftId } = open(db, 1);
    respondToShift(db, 1, shiftId, true, NOW);
    const start = SAT_MORNING.startsAt.getTime();
    expect(enqueueShiftReminders(db, new Date(start - 30 * HOUR))).toBe(0);
    expect(enqueueShiftReminders(db, new Date(start - 23 * HOUR))).toBe(1);
    expect(enqueueShiftReminders(db, new Date(start - 22 * HOUR))).toBe(0);
    expect(enqueueShiftReminders(db, new Date(start - 1 * HOUR))).toBe(1);
    expect(outbox(db, "shift-reminder:").map((o) => o.key)).toEqual([
      expect.stringMatching(/^shift-reminder:\d+:24h$/),
      expect.stringMatching(/^shift-reminder:\d+:2h$/),
    ]);
    expect(enqueueShiftReminders(db, new Date(start + HOUR))).toBe(0);
  });

  it("checks in by code inside the window and records the shift's length; staff can adjust", () => {
    const db = freshDb();
    addStaff(db, 90);
    addVolunteer(db, 1);
    addVolunteer(db, 2);
    const { shiftId } = open(db, 1);
    respondToShift(db, 1, shiftId, true, NOW);
    const code = getShift(db, shiftId)!.checkinCode;
    const start = SAT_MORNING.startsAt.getTime();
    expect(checkInShift(db, 1, code, new Date(start - 3 * HOUR))).toEqual({ ok: false, reason: "too_early" });
    expect(checkInShift(db, 1, "NOPE1234", new Date(start))).toEqual({ ok: false, reason: "unknown" });
    expect(checkInShift(db, 2, code, new Date(start))).toEqual({ ok: false, reason: "not_assigned" });
    expect(checkInShift(db, 1, code, new Date(start - HOUR))).toMatchObject({
      ok: true,
      hours: 3,
      already: false,
    });
    expect(checkInShift(db, 1, code, new Date(start))).toMatchObject({ ok: true, already: true });
    expect(hoursThisYear(db, 1, new Date(start), TZ)).toBe(3);
    expect(myUpcomingShifts(db, 1, new Date(start)).map((s) => s.shift.id)).toEqual([shiftId]);
    const assignment = db
      .prepare("SELECT id FROM shift_assignments WHERE shift_id = ? AND volunteer_id = 1")
      .pluck()
      .get(shiftId) as number;
    expect(adjustHours(db, 1, assignment, 10, NOW)).toEqual({ ok: false, reason: "forbidden" });
    expect(adjustHours(db, 90, assignment, 25, NOW)).toEqual({ ok: false, reason: "invalid" });
    expect(adjustHours(db, 90, assignment, 3.5, NOW)).toEqual({ ok: true, volunteerId: 1 });
    expect(hoursThisYear(db, 1, new Date(start), TZ)).toBe(3.5);
    // Next year starts from zero.
    expect(hoursThisYear(db, 1, new Date("2027-01-05T00:00:00Z"), TZ)).toBe(0);
    expect(checkInShift(db, 1, code, new Date(SAT_MORNING.endsAt.getTime() + HOUR)).ok).toBe(true); // already in
  });
});
