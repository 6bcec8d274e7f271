import { DAY } from "../clock.ts";
import type { Db } from "../db/connection.ts";

/** What a message kind promises: until when it is worth sending, and what to do when unsure. */
export interface DeliveryPolicy {
  /**
   * The last moment the message is still worth sending; past it the row is `expired`, never sent
   * late. Undefined: the kind's `ttlMs` after it fell due.
   */
  deadline?: (db: Db, params: Record<string, unknown>) => string | null | undefined;
  /** Used when `deadline` has no answer. */
  ttlMs: number;
  /**
   * After a try that may have reached Telegram (timeout, connection cut after the request was
   * written): send once more (true), or leave the row `uncertain` for an operator (false).
   */
  resendUncertain: boolean;
  /** One line for docs and the CLI: when this kind stops being worth sending. */
  until: string;
}

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

const shiftStart = (db: Db, p: Record<string, unknown>) =>
  db.prepare("SELECT starts_at FROM shifts WHERE id = ?").pluck().get(num(p.shiftId)) as string | undefined;
const offerExpiry = (db: Db, p: Record<string, unknown>) =>
  db.prepare("SELECT offer_expires_at FROM enrolments WHERE id = ?").pluck().get(num(p.enrolmentId)) as
    | string
    | null
    | undefined;

/** Informational messages: a day late is still useful, later is not; a duplicate is noise. */
const INFO_DAY: DeliveryPolicy = { ttlMs: DAY, resendUncertain: false, until: "a day" };
const INFO_DAYS: DeliveryPolicy = { ttlMs: 3 * DAY, resendUncertain: false, until: "three days" };

/**
 * Per template. A reminder twice is better than none, and buttons act on the current state (an
 * offer's Accept re-checks the offer), so time-critical messages a person acts on are sent once
 * more after an uncertain try; staff notices, digests and broadcasts are not (a second digest
 * or broadcast is worse than one an operator checks by hand).
 */
export const DELIVERY_POLICIES: Record<string, DeliveryPolicy> = {
  "notify.reminder": {
    deadline: (_db, p) => str(p.startsAt),
    ttlMs: DAY,
    resendUncertain: true,
    until: "the class starts",
  },
  "notify.sessionMoved": {
    deadline: (_db, p) => str(p.newStartsAt),
    ttlMs: DAY,
    resendUncertain: true,
    until: "the class's new start",
  },
  "notify.sessionCancelled": {
    deadline: (_db, p) => str(p.newStartsAt),
    ttlMs: DAY,
    resendUncertain: true,
    until: "the cancelled class's start",
  },
  "enrollment.offer": {
    deadline: offerExpiry,
    ttlMs: DAY,
    resendUncertain: true,
    until: "the offer expires",
  },
  "enrollment.offerExpired": INFO_DAY,
  "feedback.request": INFO_DAYS,
  "certificates.completed": INFO_DAYS,
  "teams.added": INFO_DAYS,
  "feedback.problem": INFO_DAY,
  "feedback.wishThreshold": INFO_DAYS,
  "feedback.wishCourse": INFO_DAYS,
  "volunteers.pending": INFO_DAYS,
  "volunteers.decided": INFO_DAYS,
  "volunteers.shiftPing": {
    deadline: shiftStart,
    ttlMs: DAY,
    resendUncertain: true,
    until: "the shift starts (a filled shift's ping is dropped at send time)",
  },
  "volunteers.shiftReminder": {
    deadline: shiftStart,
    ttlMs: DAY,
    resendUncertain: true,
    until: "the shift starts",
  },
  "volunteers.shiftWithdrawn": {
    deadline: shiftStart,
    ttlMs: DAY,
    resendUncertain: true,
    until: "the shift starts",
  },
  "volunteers.shiftCancelled": {
    deadline: shiftStart,
    ttlMs: DAY,
    resendUncertain: true,
    until: "the shift would have started",
  },
  "volunteers.shiftShort": {
    deadline: shiftStart,
    ttlMs: DAY,
    resendUncertain: false,
    until: "the shift starts",
  },
  "staff.digest": INFO_DAY,
  "staff.broadcast": INFO_DAY,
  "staff.broadcastReport": INFO_DAY,
  "selection.certificate": {
    ttlMs: 7 * DAY,
    resendUncertain: false,
    until: "a week (the certificate stays under /certificates)",
  },
};

/** Any template not listed: a day, no second try. */
export const DEFAULT_POLICY: DeliveryPolicy = INFO_DAY;

export function policyFor(template: string): DeliveryPolicy {
  return DELIVERY_POLICIES[template] ?? DEFAULT_POLICY;
}

/**
 * When a message of this kind, due at `dueAt`, stops being worth sending. Reads the domain
 * (a shift's start, an offer's expiry) at enqueue time, inside the caller's transaction.
 */
export function deliveryDeadline(
  db: Db,
  template: string,
  params: Record<string, unknown>,
  dueAt: Date,
): Date {
  const policy = policyFor(template);
  const at = policy.deadline?.(db, params);
  const parsed = at ? Date.parse(at) : Number.NaN;
  return Number.isFinite(parsed) ? new Date(parsed) : new Date(dueAt.getTime() + policy.ttlMs);
}
