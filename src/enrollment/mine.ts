import type { Db } from "../db/connection.ts";
import { positionOf } from "./queries.ts";

/** One line of "My enrolments": a course, who takes part, and where things stand. */
export interface MyEnrolment {
  enrolmentId: number;
  courseId: number;
  titleZh: string;
  titleEn: string;
  personId: number;
  personName: string;
  isSelf: boolean;
  status: "enrolled" | "waitlisted" | "offered";
  /** Waitlist place (1 = next), for waitlisted ones. */
  position: number | null;
  offerExpiresAt: string | null;
  nextSessionAt: string | null;
  healthRelated: boolean;
}

interface Row {
  id: number;
  course_id: number;
  title_zh: string;
  title_en: string;
  person_id: number;
  name: string;
  is_self: number;
  status: "enrolled" | "waitlisted" | "offered";
  waitlist_seq: number | null;
  offer_expires_at: string | null;
  next_at: string | null;
  health_related: number;
}

const SELECT = `
  SELECT e.id, e.course_id, c.title_zh, c.title_en, e.person_id, p.name, p.is_self, e.status, e.waitlist_seq,
         e.offer_expires_at, c.health_related,
         (SELECT min(s.starts_at) FROM sessions s WHERE s.course_id = e.course_id AND s.status = 'scheduled'
            AND s.ends_at > :now) AS next_at
  FROM enrolments e JOIN courses c ON c.id = e.course_id JOIN people p ON p.id = e.person_id`;

function toItem(db: Db, r: Row): MyEnrolment {
  return {
    enrolmentId: r.id,
    courseId: r.course_id,
    titleZh: r.title_zh,
    titleEn: r.title_en,
    personId: r.person_id,
    personName: r.name,
    isSelf: r.is_self === 1,
    status: r.status,
    position:
      r.status === "waitlisted"
        ? positionOf(db, { course_id: r.course_id, waitlist_seq: r.waitlist_seq })
        : null,
    offerExpiresAt: r.offer_expires_at,
    nextSessionAt: r.next_at,
    healthRelated: r.health_related === 1,
  };
}

/**
 * Every live enrolment of the account's family (not cancelled, course not over), open offers
 * first, then by the next session.
 */
export function listMyEnrolments(db: Db, accountId: number, now: Date): MyEnrolment[] {
  const rows = db
    .prepare(`${SELECT} WHERE e.account_id = :account AND e.status <> 'cancelled'`)
    .all({ account: accountId, now: now.toISOString() }) as Row[];
  return rows
    .filter((r) => r.next_at !== null)
    .map((r) => toItem(db, r))
    .sort(
      (a, b) =>
        Number(b.status === "offered") - Number(a.status === "offered") ||
        (a.nextSessionAt ?? "").localeCompare(b.nextSessionAt ?? "") ||
        a.enrolmentId - b.enrolmentId,
    );
}

/** One enrolment of the account, whatever its status; "notYours" for anyone else's. */
export function getMyEnrolment(
  db: Db,
  enrolmentId: number,
  accountId: number,
  now: Date,
): { kind: "ok"; item: MyEnrolment | null; courseId: number } | { kind: "notYours" } | { kind: "notFound" } {
  const r = db.prepare(`${SELECT} WHERE e.id = :id`).get({ id: enrolmentId, now: now.toISOString() }) as
    | (Omit<Row, "status"> & { status: Row["status"] | "cancelled" })
    | undefined;
  if (!r) return { kind: "notFound" };
  const owner = db
    .prepare<[number], { account_id: number | null }>("SELECT account_id FROM enrolments WHERE id = ?")
    .get(enrolmentId);
  if (owner?.account_id !== accountId) return { kind: "notYours" };
  if (r.status === "cancelled") return { kind: "ok", item: null, courseId: r.course_id };
  return { kind: "ok", item: toItem(db, r as Row), courseId: r.course_id };
}
