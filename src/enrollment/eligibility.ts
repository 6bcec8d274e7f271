import { preparedFor } from "../db/connection.ts";
import type { Db } from "../db/connection.ts";
import type { CourseRow, PersonRow } from "./queries.ts";

/** Why a participant cannot enrol; each has a message in `enrol:ineligible.<reason>`. */
export type IneligibleReason =
  | "tooYoung"
  | "tooOld"
  | "childrenOnly"
  | "seniorsOnly"
  | "notYours"
  | "noPerson";

/** Why a course takes no enrolments right now; messages in `enrol:closed.<reason>`. */
export type ClosedReason = "notOpen" | "notYet" | "windowClosed" | "ended";

/** Audiences that only children belong to, and the age a participant is counted a child below. */
const CHILD_AUDIENCES = new Set(["preschool", "pupils"]);
const ADULT_AGE = 18;
const SENIOR_AGE = 60;

/** Age reached in the current year; birth years are all we keep, so this is the year's age. */
export function ageIn(birthYear: number, now: Date): number {
  return now.getUTCFullYear() - birthYear;
}

/**
 * Whether the course takes enrolments at `now`: open, inside its window, with a session left.
 * `nextAt` is the start of the next session (undefined when none is left).
 */
export function closedReason(
  course: CourseRow,
  nextAt: string | undefined,
  now: Date,
): ClosedReason | undefined {
  const at = now.toISOString();
  if (course.status !== "open") return "notOpen";
  if (course.enrol_opens_at !== null && at < course.enrol_opens_at) return "notYet";
  if (course.enrol_closes_at !== null && at >= course.enrol_closes_at) return "windowClosed";
  if (nextAt === undefined) return "ended";
  return undefined;
}

/**
 * Age and audience rules. A birth year is known for every family member (the form asks) but
 * not always for the account holder, who is then taken to be an adult under 60: a course only
 * for children refuses them, an age range otherwise lets them through.
 */
export function ineligibleReason(
  course: CourseRow,
  person: PersonRow,
  now: Date,
): IneligibleReason | undefined {
  let audiences: string[] = [];
  try {
    const parsed: unknown = JSON.parse(course.audiences);
    if (Array.isArray(parsed)) audiences = parsed.filter((a): a is string => typeof a === "string");
  } catch {
    audiences = [];
  }
  const age = person.birth_year === null ? undefined : ageIn(person.birth_year, now);
  const childrenOnly = audiences.length > 0 && audiences.every((a) => CHILD_AUDIENCES.has(a));
  const seniorsOnly = audiences.length > 0 && audiences.every((a) => a === "seniors");
  if (age === undefined) {
    if (childrenOnly || (course.max_age !== null && course.max_age < ADULT_AGE)) return "childrenOnly";
    return undefined;
  }
  if (course.min_age !== null && age < course.min_age) return "tooYoung";
  if (course.max_age !== null && age > course.max_age) return "tooOld";
  if (childrenOnly && age >= ADULT_AGE) return "childrenOnly";
  if (seniorsOnly && course.min_age === null && age < SENIOR_AGE) return "seniorsOnly";
  return undefined;
}

/** A course whose sessions overlap the one being enrolled in. */
export interface Clash {
  courseId: number;
  titleZh: string;
  titleEn: string;
  /** Start of the first overlapping session of the other course. */
  at: string;
}

const clashQuery = preparedFor((db: Db) =>
  db.prepare(
    `SELECT c.id AS courseId, c.title_zh AS titleZh, c.title_en AS titleEn, min(o.starts_at) AS at
       FROM enrolments e
       JOIN courses c ON c.id = e.course_id
       JOIN sessions o ON o.course_id = e.course_id AND o.status = 'scheduled' AND o.ends_at > ?
       JOIN sessions s ON s.course_id = ? AND s.status = 'scheduled' AND s.ends_at > ?
            AND s.starts_at < o.ends_at AND o.starts_at < s.ends_at
       WHERE e.person_id = ? AND e.course_id <> ? AND e.status IN ('enrolled', 'offered')
       GROUP BY c.id ORDER BY at`,
  ),
);

/**
 * The participant's other courses (enrolled or offered) with a session overlapping a future
 * session of this course. Driven from the participant's few enrolments, so it stays cheap.
 */
export function findClashes(db: Db, courseId: number, personId: number, now: Date): Clash[] {
  const stmt = clashQuery(db);
  const at = now.toISOString();
  return stmt.all(at, courseId, at, personId, courseId) as Clash[];
}
