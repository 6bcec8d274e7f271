/**
 * The monthly report each grass-roots school owes the district centre: per site, what ran and
 * who came. One aggregate query per figure, grouped by site.
 */
import type { Db } from "../db/connection.ts";
import { zonedTimeToUtc } from "../time.ts";

export interface MonthlySiteRow {
  siteId: number;
  code: string;
  nameZh: string;
  nameEn: string;
  /** Courses with at least one session held in the month. */
  courses: number;
  sessionsHeld: number;
  /** Enrolments created in the month that hold a seat now. */
  enrolments: number;
  /** Present marks at the month's sessions. */
  attendance: number;
  /** People whose first ever enrolment (at any site, waitlist places aside) was made in the month at this site. */
  newParticipants: number;
  volunteerHours: number;
  ratings: number;
  averageRating: number | null;
  comments: number;
}

/** `YYYY-MM` → the month's [start, end) in UTC, read in `timezone`; null when malformed. */
export function monthRange(month: string, timezone: string): { from: Date; to: Date } | null {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const next = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, "0")}`;
  return {
    from: zonedTimeToUtc(`${month}-01`, "00:00", timezone),
    to: zonedTimeToUtc(`${next}-01`, "00:00", timezone),
  };
}

/** The monthly figures of every site (or of `siteId` only), sites without activity included. */
export function monthlyReport(db: Db, from: Date, to: Date, siteId?: number): MonthlySiteRow[] {
  const f = from.toISOString();
  const t = to.toISOString();
  const rows = db
    .prepare(
      `WITH held AS (
         SELECT s.id, s.course_id, c.site_id FROM sessions s JOIN courses c ON c.id = s.course_id
         WHERE s.starts_at >= :f AND s.starts_at < :t AND s.status = 'scheduled'
       ),
       firsts AS (
         SELECT person_id, MIN(created_at) AS first_at FROM enrolments WHERE status <> 'waitlisted' GROUP BY person_id
       ),
       new_people AS (
         SELECT c.site_id, COUNT(DISTINCT e.person_id) AS n FROM enrolments e
         JOIN firsts fi ON fi.person_id = e.person_id AND fi.first_at = e.created_at AND e.status <> 'waitlisted'
         JOIN courses c ON c.id = e.course_id
         WHERE fi.first_at >= :f AND fi.first_at < :t GROUP BY c.site_id
       )
       SELECT st.id AS siteId, st.code, st.name_zh AS nameZh, st.name_en AS nameEn,
         (SELECT COUNT(DISTINCT course_id) FROM held WHERE held.site_id = st.id) AS courses,
         (SELECT COUNT(*) FROM held WHERE held.site_id = st.id) AS sessionsHeld,
         (SELECT COUNT(*) FROM enrolments e JOIN courses c ON c.id = e.course_id
            WHERE c.site_id = st.id AND e.created_at >= :f AND e.created_at < :t AND e.status IN ('enrolled', 'offered')) AS enrolments,
         (SELECT COUNT(*) FROM held JOIN attendance a ON a.session_id = held.id
            WHERE held.site_id = st.id AND a.status = 'present') AS attendance,
         COALESCE((SELECT n FROM new_people WHERE new_people.site_id = st.id), 0) AS newParticipants,
         (SELECT COALESCE(SUM(sa.hours), 0) FROM shifts sh JOIN shift_assignments sa ON sa.shift_id = sh.id
            WHERE sh.site_id = st.id AND sh.starts_at >= :f AND sh.starts_at < :t AND sa.hours IS NOT NULL) AS volunteerHours,
         (SELECT COUNT(*) FROM feedback fb JOIN courses c ON c.id = fb.course_id
            WHERE c.site_id = st.id AND fb.kind = 'rating' AND fb.created_at >= :f AND fb.created_at < :t) AS ratings,
         (SELECT ROUND(AVG(fb.stars), 2) FROM feedback fb JOIN courses c ON c.id = fb.course_id
            WHERE c.site_id = st.id AND fb.kind = 'rating' AND fb.created_at >= :f AND fb.created_at < :t) AS averageRating,
         (SELECT COUNT(*) FROM feedback fb JOIN courses c ON c.id = fb.course_id
            WHERE c.site_id = st.id AND fb.comment IS NOT NULL AND TRIM(fb.comment) <> ''
              AND fb.created_at >= :f AND fb.created_at < :t) AS comments
       FROM sites st
       WHERE (:site IS NULL OR st.id = :site)
       ORDER BY st.id`,
    )
    .all({ f, t, site: siteId ?? null }) as MonthlySiteRow[];
  return rows;
}

/** Feedback comments of the month (names only when not anonymous), for the report's second sheet. */
export function monthlyComments(db: Db, from: Date, to: Date, siteId?: number) {
  return db
    .prepare(
      `SELECT st.code AS site, c.title_zh AS titleZh, c.title_en AS titleEn, fb.kind, fb.stars,
              fb.comment AS text, CASE WHEN fb.anonymous = 1 THEN NULL ELSE p.name END AS name, fb.created_at AS at
       FROM feedback fb JOIN courses c ON c.id = fb.course_id JOIN sites st ON st.id = c.site_id
       LEFT JOIN people p ON p.id = fb.person_id
       WHERE fb.created_at >= ? AND fb.created_at < ? AND fb.comment IS NOT NULL AND TRIM(fb.comment) <> ''
         AND (? IS NULL OR st.id = ?)
       ORDER BY st.id, fb.created_at`,
    )
    .all(from.toISOString(), to.toISOString(), siteId ?? null, siteId ?? null) as {
    site: string;
    titleZh: string;
    titleEn: string;
    kind: string;
    stars: number | null;
    text: string;
    name: string | null;
    at: string;
  }[];
}

/**
 * The district's line of a monthly report: the sum over every site's row (people counted at two
 * sites count twice), with the rating averaged over all ratings.
 */
export function districtRow(rows: readonly MonthlySiteRow[], nameZh: string, nameEn: string): MonthlySiteRow {
  const sum = (k: keyof MonthlySiteRow) => rows.reduce((n, r) => n + (r[k] as number), 0);
  const ratings = sum("ratings");
  const stars = rows.reduce((n, r) => n + (r.averageRating ?? 0) * r.ratings, 0);
  return {
    siteId: 0,
    code: "",
    nameZh,
    nameEn,
    courses: sum("courses"),
    sessionsHeld: sum("sessionsHeld"),
    enrolments: sum("enrolments"),
    attendance: sum("attendance"),
    newParticipants: sum("newParticipants"),
    volunteerHours: Math.round(sum("volunteerHours") * 10) / 10,
    ratings,
    averageRating: ratings > 0 ? Math.round((stars / ratings) * 100) / 100 : null,
    comments: sum("comments"),
  };
}
