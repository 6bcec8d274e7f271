import { MINUTE } from "../clock.ts";
import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import { recordAttendance } from "./attendance.ts";

/** Check-in opens this long before a session starts and closes when it ends. */
export const CHECKIN_OPENS_BEFORE_MS = 30 * MINUTE;

export type CheckinResult =
  | { kind: "unknown" }
  | { kind: "cancelled"; courseId: number; startsAt: string }
  | { kind: "tooEarly"; courseId: number; startsAt: string; opensAt: string }
  | { kind: "over"; courseId: number; startsAt: string }
  | { kind: "notEnrolled"; courseId: number }
  | { kind: "choose"; courseId: number; sessionId: number; people: { id: number; name: string }[] }
  | {
      kind: "present";
      courseId: number;
      sessionId: number;
      startsAt: string;
      people: { id: number; name: string }[];
      already: boolean;
    };

/** A check-in code as typed or scanned: the alphabet of newCode, any case. */
export function normalizeCode(raw: string): string | undefined {
  const code = raw.trim().toUpperCase();
  return /^[A-Z0-9]{4,16}$/.test(code) ? code : undefined;
}

/**
 * Marks the account's participant(s) enrolled in the session's course present, once, when
 * the code is opened inside the session's window (30 minutes before start to the end).
 * With several family members enrolled and no `personId`, asks which one came.
 */
export function checkIn(
  db: Db,
  input: { code: string; accountId: number; personId?: number },
  now: Date,
): CheckinResult {
  return immediate(db, (): CheckinResult => {
    const code = normalizeCode(input.code);
    if (!code) return { kind: "unknown" };
    const session = db
      .prepare<
        [string],
        { id: number; course_id: number; starts_at: string; ends_at: string; status: string }
      >("SELECT id, course_id, starts_at, ends_at, status FROM sessions WHERE checkin_code = ?")
      .get(code);
    if (!session) return { kind: "unknown" };
    const courseId = session.course_id;
    if (session.status !== "scheduled") return { kind: "cancelled", courseId, startsAt: session.starts_at };
    const opensAt = new Date(Date.parse(session.starts_at) - CHECKIN_OPENS_BEFORE_MS).toISOString();
    const at = now.toISOString();
    if (at < opensAt) return { kind: "tooEarly", courseId, startsAt: session.starts_at, opensAt };
    if (at >= session.ends_at) return { kind: "over", courseId, startsAt: session.starts_at };
    const enrolled = db
      .prepare<[number, number, number], { id: number; name: string; present: number | null }>(
        `SELECT p.id, p.name, (a.status = 'present') AS present FROM enrolments e JOIN people p ON p.id = e.person_id
         LEFT JOIN attendance a ON a.session_id = ? AND a.person_id = p.id
         WHERE e.course_id = ? AND e.account_id = ? AND e.status = 'enrolled' ORDER BY p.is_self DESC, p.id`,
      )
      .all(session.id, courseId, input.accountId);
    const chosen = input.personId === undefined ? enrolled : enrolled.filter((p) => p.id === input.personId);
    if (chosen.length === 0) return { kind: "notEnrolled", courseId };
    if (chosen.length > 1) {
      return {
        kind: "choose",
        courseId,
        sessionId: session.id,
        people: chosen.map((p) => ({ id: p.id, name: p.name })),
      };
    }
    const person = chosen[0]!;
    const already = person.present === 1;
    if (!already)
      recordAttendance(
        db,
        { sessionId: session.id, personId: person.id, status: "present", source: "checkin" },
        now,
      );
    return {
      kind: "present",
      courseId,
      sessionId: session.id,
      startsAt: session.starts_at,
      people: [{ id: person.id, name: person.name }],
      already,
    };
  });
}

/**
 * A typed message that is a session's check-in code (any case, spaces anywhere), or undefined.
 * Reads only, so ordinary searches typed in Latin letters cost one indexed lookup.
 */
export function typedCheckinCode(db: Db, text: string): string | undefined {
  const code = normalizeCode(text.replace(/\s+/g, ""));
  if (!code) return undefined;
  const found = db
    .prepare<[string], { n: number }>("SELECT 1 AS n FROM sessions WHERE checkin_code = ?")
    .get(code);
  return found ? code : undefined;
}

/** The deep link a teacher shows (as a QR code) for a session's check-in code. */
export function checkinLink(botUsername: string, code: string): string {
  return `https://t.me/${botUsername}?start=ci_${code}`;
}
