import { seatsTaken } from "../catalog/availability.ts";
import type { Db } from "../db/connection.ts";
import { immediate, preparedFor } from "../db/connection.ts";
import type { Clash, ClosedReason, IneligibleReason } from "./eligibility.ts";
import { closedReason, findClashes, ineligibleReason } from "./eligibility.ts";
import type { CourseRow, EnrolmentRow, PersonRow } from "./queries.ts";
import { nextSessionAt, positionOf, q } from "./queries.ts";

export interface EnrolInput {
  courseId: number;
  personId: number;
  /** The account acting; the participant must be one of its people. */
  accountId: number;
  /** Explicit consent, required by health-related courses. */
  consent?: boolean;
  /** The person saw the clash warning and wants the seat anyway. */
  acceptClash?: boolean;
}

/** Outcomes that stop an enrolment before anything is written. */
export type EnrolRefusal =
  | { kind: "notFound" }
  | { kind: "ineligible"; reason: IneligibleReason }
  | { kind: "closed"; reason: ClosedReason }
  | {
      kind: "already";
      enrolmentId: number;
      status: "enrolled" | "waitlisted" | "offered";
      position?: number;
      offerExpiresAt?: string;
      nextSessionAt?: string;
    }
  | { kind: "clash"; courses: Clash[] }
  | { kind: "needsConsent" }
  | { kind: "needsPhone" };

export type EnrolResult =
  | { kind: "enrolled"; enrolmentId: number; nextSessionAt: string }
  | { kind: "waitlisted"; enrolmentId: number; position: number }
  | EnrolRefusal;

/** What confirming would do, without writing: a seat now, or this place on the waitlist. */
export type EnrolPreview =
  | { kind: "ok"; seat: boolean; position: number; nextSessionAt: string }
  | EnrolRefusal;

interface Ready {
  kind: "ready";
  course: CourseRow;
  person: PersonRow;
  existing: EnrolmentRow | undefined;
  nextAt: string;
}

const w = preparedFor((db: Db) => ({
  maxSeq: db.prepare<[number], { m: number | null }>(
    "SELECT max(waitlist_seq) AS m FROM enrolments WHERE course_id = ? AND status = 'waitlisted'",
  ),
  insert: db.prepare<[number, number, number, string, number | null, string | null, string, string]>(
    `INSERT INTO enrolments (course_id, person_id, account_id, status, waitlist_seq, consent_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  reuse: db.prepare<[number, string, number | null, string | null, string, number]>(
    `UPDATE enrolments SET account_id = ?, status = ?, waitlist_seq = ?, consent_at = ?, offer_expires_at = NULL,
         cancelled_at = NULL, updated_at = ? WHERE id = ?`,
  ),
}));

/** Every rule, in the order a person would want to hear about them. Reads only. */
function evaluate(db: Db, input: EnrolInput, now: Date): Ready | EnrolRefusal {
  const s = q(db);
  const course = s.course.get(input.courseId);
  if (!course) return { kind: "notFound" };
  const person = s.person.get(input.personId);
  if (!person) return { kind: "ineligible", reason: "noPerson" };
  if (person.account_id !== input.accountId) return { kind: "ineligible", reason: "notYours" };
  const existing = s.enrolmentOf.get(input.courseId, input.personId);
  if (existing && existing.status !== "cancelled") {
    return {
      kind: "already",
      enrolmentId: existing.id,
      status: existing.status,
      ...(existing.status === "waitlisted" ? { position: positionOf(db, existing) } : {}),
      ...(existing.status === "offered" && existing.offer_expires_at
        ? { offerExpiresAt: existing.offer_expires_at }
        : {}),
      ...(existing.status === "enrolled" ? { nextSessionAt: nextSessionAt(db, course.id, now) } : {}),
    };
  }
  const nextAt = nextSessionAt(db, course.id, now);
  const closed = closedReason(course, nextAt, now);
  if (closed || nextAt === undefined) return { kind: "closed", reason: closed ?? "ended" };
  const reason = ineligibleReason(course, person, now);
  if (reason) return { kind: "ineligible", reason };
  if (!input.acceptClash) {
    const clashes = findClashes(db, course.id, person.id, now);
    if (clashes.length > 0) return { kind: "clash", courses: clashes };
  }
  if (course.health_related === 1 && !input.consent) return { kind: "needsConsent" };
  if (course.needs_phone === 1 && !s.phone.get(input.accountId)?.phone) return { kind: "needsPhone" };
  return { kind: "ready", course, person, existing, nextAt };
}

/**
 * Checks every rule as `enrol` would and says what confirming would do, without writing:
 * the confirmation screen shows it. The answer may change before the press; `enrol` decides.
 */
export function previewEnrolment(db: Db, input: EnrolInput, now: Date): EnrolPreview {
  const r = evaluate(db, input, now);
  if (r.kind !== "ready") return r;
  const free = r.course.capacity - seatsTaken(db, r.course.id);
  const waiting =
    db
      .prepare<[number], { n: number }>(
        "SELECT count(*) AS n FROM enrolments WHERE course_id = ? AND status = 'waitlisted'",
      )
      .get(r.course.id)?.n ?? 0;
  const seat = free > 0 && waiting === 0;
  return { kind: "ok", seat, position: seat ? 0 : waiting + 1, nextSessionAt: r.nextAt };
}

/**
 * Enrols a participant, or puts them at the end of the waitlist, in one IMMEDIATE transaction:
 * the rules are read under the write lock, so a rush on the last seat cannot overbook, and the
 * UNIQUE (course_id, person_id) row makes a second press answer "already" instead of enrolling
 * twice. A seat goes to a newcomer only when nobody is waiting (strict first come, first served).
 */
export function enrol(db: Db, input: EnrolInput, now: Date): EnrolResult {
  return immediate(db, (): EnrolResult => {
    const r = evaluate(db, input, now);
    if (r.kind !== "ready") return r;
    const s = w(db);
    const at = now.toISOString();
    const maxSeq = s.maxSeq.get(r.course.id)?.m ?? null;
    const seat = maxSeq === null && r.course.capacity - seatsTaken(db, r.course.id) > 0;
    const status = seat ? "enrolled" : "waitlisted";
    const seq = seat ? null : (maxSeq ?? 0) + 1;
    const consentAt = input.consent && r.course.health_related === 1 ? at : null;
    let enrolmentId: number;
    if (r.existing) {
      s.reuse.run(input.accountId, status, seq, consentAt, at, r.existing.id);
      enrolmentId = r.existing.id;
    } else {
      enrolmentId = Number(
        s.insert.run(r.course.id, r.person.id, input.accountId, status, seq, consentAt, at, at)
          .lastInsertRowid,
      );
    }
    if (seat) return { kind: "enrolled", enrolmentId, nextSessionAt: r.nextAt };
    return {
      kind: "waitlisted",
      enrolmentId,
      // The live rank among those still waiting, counted like every other screen counts it:
      // seqs order the line but need not be dense (rows imported or edited outside the app).
      position: positionOf(db, { course_id: r.course.id, waitlist_seq: seq }),
    };
  });
}
