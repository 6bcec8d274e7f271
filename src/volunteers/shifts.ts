/**
 * Shifts from the volunteer's side and staff's: accept or decline a ping (the first N accepts
 * fill it), withdraw, check in, hours. Each is one IMMEDIATE transaction that re-checks the
 * current state, so an old button or a double tap acts on what is true now, at most once.
 */

import { HOUR } from "../clock.ts";
import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import { cancelPending, enqueue, enqueueEach } from "../notify/outbox.ts";
import { isStaff } from "../people/roles.ts";
import { localParts, zonedTimeToUtc } from "../time.ts";
import { pingShift, shiftCounts } from "./matching.ts";
import type { NewShift, Shift } from "./shifts-store.ts";
import { getShift, getShiftByCheckinCode, insertShift } from "./shifts-store.ts";
import { staffRecipients } from "../people/recipients.ts";
import { audit } from "../db/audit.ts";
import { getVolunteer } from "./volunteers.ts";

export type CreateShiftResult =
  | { ok: true; shiftId: number; pinged: number[] }
  | { ok: false; reason: "forbidden" | "invalid" | "past" };

/** Staff create a shift; the first batch of volunteers is pinged in the same transaction. */
export function createShift(
  db: Db,
  staffId: number | null,
  input: NewShift,
  timezone: string,
  now: Date,
): CreateShiftResult {
  if (
    !(input.startsAt < input.endsAt) ||
    !Number.isInteger(input.needed) ||
    input.needed < 1 ||
    input.needed > 100
  ) {
    return { ok: false, reason: "invalid" };
  }
  if (input.startsAt <= now) return { ok: false, reason: "past" };
  return immediate(db, () => {
    if (staffId !== null && !isStaff(db, staffId)) return { ok: false, reason: "forbidden" } as const;
    const shiftId = insertShift(db, { ...input, createdBy: staffId }, now);
    audit(db, now.toISOString(), staffId, "shift.create", shiftId);
    return { ok: true, shiftId, pinged: pingShift(db, shiftId, timezone, now) } as const;
  });
}

export type RespondResult =
  | { ok: true; status: "accepted" | "declined"; filled: boolean; shift: Shift }
  | {
      ok: false;
      reason: "unknown" | "not_volunteer" | "not_asked" | "cancelled" | "past" | "full" | "already" | "clash";
    };

/**
 * A volunteer answers a ping. Accept succeeds only while the shift is open, in the future, not
 * yet full and not clashing with another accepted shift; the accept that fills it marks every
 * other waiting ping "filled". Declining an accepted shift is a withdrawal, not a decline.
 */
export function respondToShift(
  db: Db,
  volunteerId: number,
  shiftId: number,
  accept: boolean,
  now: Date,
): RespondResult {
  const at = now.toISOString();
  return immediate(db, (): RespondResult => {
    const shift = getShift(db, shiftId);
    if (!shift) return { ok: false, reason: "unknown" };
    const v = getVolunteer(db, volunteerId);
    if (v?.status !== "approved") return { ok: false, reason: "not_volunteer" };
    const a = db
      .prepare("SELECT id, status FROM shift_assignments WHERE shift_id = ? AND volunteer_id = ?")
      .get(shiftId, volunteerId) as { id: number; status: string } | undefined;
    if (!a) return { ok: false, reason: "not_asked" };
    if (shift.status === "cancelled") return { ok: false, reason: "cancelled" };
    if (shift.startsAt <= at) return { ok: false, reason: "past" };
    if (a.status === "accepted") return { ok: false, reason: "already" };
    if (!accept) {
      if (a.status === "declined") return { ok: false, reason: "already" };
      db.prepare("UPDATE shift_assignments SET status = 'declined', responded_at = ? WHERE id = ?").run(
        at,
        a.id,
      );
      return { ok: true, status: "declined", filled: false, shift };
    }
    if (a.status === "withdrawn" || a.status === "cancelled") return { ok: false, reason: "not_asked" };
    const { accepted } = shiftCounts(db, shiftId, now);
    if (shift.status === "filled" || accepted >= shift.needed) {
      if (a.status === "pinged")
        db.prepare("UPDATE shift_assignments SET status = 'filled', responded_at = ? WHERE id = ?").run(
          at,
          a.id,
        );
      return { ok: false, reason: "full" };
    }
    const clash = db
      .prepare(
        `SELECT 1 FROM shift_assignments x JOIN shifts o ON o.id = x.shift_id
         WHERE x.volunteer_id = ? AND x.status = 'accepted' AND o.status <> 'cancelled' AND o.starts_at < ? AND o.ends_at > ?`,
      )
      .get(volunteerId, shift.endsAt, shift.startsAt);
    if (clash) return { ok: false, reason: "clash" };
    db.prepare("UPDATE shift_assignments SET status = 'accepted', responded_at = ? WHERE id = ?").run(
      at,
      a.id,
    );
    const filled = accepted + 1 >= shift.needed;
    if (filled) {
      db.prepare("UPDATE shifts SET status = 'filled' WHERE id = ?").run(shiftId);
      db.prepare(
        "UPDATE shift_assignments SET status = 'filled', responded_at = ? WHERE shift_id = ? AND status = 'pinged'",
      ).run(at, shiftId);
    }
    audit(db, at, volunteerId, "shift.accept", shiftId);
    return { ok: true, status: "accepted", filled, shift: getShift(db, shiftId)! };
  });
}

export type WithdrawResult =
  | { ok: true; pinged: number[] }
  | { ok: false; reason: "not_accepted" | "past" | "unknown" };

/**
 * A volunteer who accepted drops out: staff are told, reminders are taken back, the shift
 * reopens and the next batch is pinged at once.
 */
export function withdrawFromShift(
  db: Db,
  volunteerId: number,
  shiftId: number,
  timezone: string,
  now: Date,
): WithdrawResult {
  const at = now.toISOString();
  return immediate(db, (): WithdrawResult => {
    const shift = getShift(db, shiftId);
    if (!shift) return { ok: false, reason: "unknown" };
    const a = db
      .prepare(
        "SELECT id, status, checked_in_at FROM shift_assignments WHERE shift_id = ? AND volunteer_id = ?",
      )
      .get(shiftId, volunteerId) as { id: number; status: string; checked_in_at: string | null } | undefined;
    if (a?.status !== "accepted") return { ok: false, reason: "not_accepted" };
    // Checked in (up to two hours early): they are there, and their hours must stay.
    if (shift.startsAt <= at || a.checked_in_at) return { ok: false, reason: "past" };
    db.prepare("UPDATE shift_assignments SET status = 'withdrawn', responded_at = ? WHERE id = ?").run(
      at,
      a.id,
    );
    cancelPending(db, `shift-reminder:${a.id}:`);
    if (shift.status === "filled") db.prepare("UPDATE shifts SET status = 'open' WHERE id = ?").run(shiftId);
    enqueueEach(
      db,
      staffRecipients(db),
      {
        keyPrefix: `shift-withdrawn:${a.id}`,
        template: "volunteers.shiftWithdrawn",
        params: { shiftId, volunteerId },
        dueAt: now,
      },
      now,
    );
    audit(db, at, volunteerId, "shift.withdraw", shiftId);
    if (shift.status === "cancelled") return { ok: true, pinged: [] };
    return { ok: true, pinged: pingShift(db, shiftId, timezone, now) };
  });
}

export type CheckInResult =
  | { ok: true; shift: Shift; hours: number; already: boolean }
  | { ok: false; reason: "unknown" | "not_assigned" | "too_early" | "over" | "cancelled" };

/** Check-in opens this long before a shift starts. */
export const CHECKIN_OPENS_MS = 2 * HOUR;

/** Hours served by a shift: its length, to the quarter hour. */
export function shiftHours(shift: Pick<Shift, "startsAt" | "endsAt">): number {
  const ms = new Date(shift.endsAt).getTime() - new Date(shift.startsAt).getTime();
  return Math.round((ms / HOUR) * 4) / 4;
}

/**
 * Checks a volunteer in by the shift's code (from its link or QR code), from two hours before
 * the start until its end, and records its length as hours served. A second check-in is harmless.
 */
export function checkInShift(db: Db, volunteerId: number, code: string, now: Date): CheckInResult {
  const at = now.toISOString();
  return immediate(db, (): CheckInResult => {
    const shift = getShiftByCheckinCode(db, code);
    if (!shift) return { ok: false, reason: "unknown" };
    if (shift.status === "cancelled") return { ok: false, reason: "cancelled" };
    const a = db
      .prepare(
        "SELECT id, status, checked_in_at, hours FROM shift_assignments WHERE shift_id = ? AND volunteer_id = ?",
      )
      .get(shift.id, volunteerId) as
      | { id: number; status: string; checked_in_at: string | null; hours: number | null }
      | undefined;
    if (a?.status !== "accepted") return { ok: false, reason: "not_assigned" };
    if (a.checked_in_at) return { ok: true, shift, hours: a.hours ?? shiftHours(shift), already: true };
    if (now.getTime() < new Date(shift.startsAt).getTime() - CHECKIN_OPENS_MS)
      return { ok: false, reason: "too_early" };
    if (at >= shift.endsAt) return { ok: false, reason: "over" };
    const hours = shiftHours(shift);
    db.prepare("UPDATE shift_assignments SET checked_in_at = ?, hours = ? WHERE id = ?").run(at, hours, a.id);
    return { ok: true, shift, hours, already: false };
  });
}

export type AdjustResult =
  | { ok: true; volunteerId: number }
  | { ok: false; reason: "forbidden" | "unknown" | "invalid" };

/** Staff correct the hours of one assignment (came late, stayed on); 0 to 24. */
export function adjustHours(
  db: Db,
  staffId: number,
  assignmentId: number,
  hours: number,
  now: Date,
): AdjustResult {
  if (!Number.isFinite(hours) || hours < 0 || hours > 24) return { ok: false, reason: "invalid" };
  return immediate(db, (): AdjustResult => {
    if (!isStaff(db, staffId)) return { ok: false, reason: "forbidden" };
    const a = db.prepare("SELECT volunteer_id FROM shift_assignments WHERE id = ?").get(assignmentId) as
      | { volunteer_id: number }
      | undefined;
    if (!a) return { ok: false, reason: "unknown" };
    db.prepare(
      "UPDATE shift_assignments SET hours = ?, hours_adjusted_by = ?, checked_in_at = COALESCE(checked_in_at, ?) WHERE id = ?",
    ).run(Math.round(hours * 4) / 4, staffId, now.toISOString(), assignmentId);
    audit(db, now.toISOString(), staffId, "shift.hours", assignmentId, { hours });
    return { ok: true, volunteerId: a.volunteer_id };
  });
}

export interface MyShift {
  assignmentId: number;
  shift: Shift;
  checkedIn: boolean;
}

/** The volunteer's accepted shifts that have not ended yet, soonest first. */
export function myUpcomingShifts(db: Db, volunteerId: number, now: Date): MyShift[] {
  const rows = db
    .prepare(
      `SELECT a.id, a.shift_id, a.checked_in_at FROM shift_assignments a JOIN shifts s ON s.id = a.shift_id
       WHERE a.volunteer_id = ? AND a.status = 'accepted' AND s.status <> 'cancelled' AND s.ends_at > ? ORDER BY s.starts_at`,
    )
    .all(volunteerId, now.toISOString()) as { id: number; shift_id: number; checked_in_at: string | null }[];
  return rows.map((r) => ({
    assignmentId: r.id,
    shift: getShift(db, r.shift_id)!,
    checkedIn: r.checked_in_at !== null,
  }));
}

/** Hours served (checked in or set by staff) in the current calendar year of the school. */
export function hoursThisYear(db: Db, volunteerId: number, now: Date, timezone: string): number {
  const year = localParts(now, timezone).year;
  const from = zonedTimeToUtc(`${year}-01-01`, "00:00", timezone).toISOString();
  const to = zonedTimeToUtc(`${year + 1}-01-01`, "00:00", timezone).toISOString();
  return (
    (db
      .prepare(
        `SELECT COALESCE(SUM(a.hours), 0) FROM shift_assignments a JOIN shifts s ON s.id = a.shift_id
         WHERE a.volunteer_id = ? AND a.hours IS NOT NULL AND s.starts_at >= ? AND s.starts_at < ?`,
      )
      .pluck()
      .get(volunteerId, from, to) as number) ?? 0
  );
}

/** Staff cancel a shift: accepted volunteers are told, waiting pings become void. */
export function cancelShift(db: Db, staffId: number, shiftId: number, now: Date): boolean {
  const at = now.toISOString();
  return immediate(db, () => {
    if (!isStaff(db, staffId)) return false;
    const shift = getShift(db, shiftId);
    if (!shift || shift.status === "cancelled") return false;
    db.prepare("UPDATE shifts SET status = 'cancelled' WHERE id = ?").run(shiftId);
    const accepted = db
      .prepare("SELECT id, volunteer_id FROM shift_assignments WHERE shift_id = ? AND status = 'accepted'")
      .all(shiftId) as { id: number; volunteer_id: number }[];
    for (const a of accepted) {
      cancelPending(db, `shift-reminder:${a.id}:`);
      enqueue(
        db,
        {
          key: `shift-cancelled:${a.id}`,
          chatId: a.volunteer_id,
          template: "volunteers.shiftCancelled",
          params: { shiftId },
          dueAt: now,
        },
        now,
      );
    }
    db.prepare(
      "UPDATE shift_assignments SET status = 'cancelled', responded_at = ? WHERE shift_id = ? AND status IN ('pinged', 'accepted')",
    ).run(at, shiftId);
    audit(db, at, staffId, "shift.cancel", shiftId);
    return true;
  });
}
