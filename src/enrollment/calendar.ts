import type { EventAttributes } from "ics";
import { createEvents } from "ics";
import type { Db } from "../db/connection.ts";
import type { Locale } from "../i18n/index.ts";
import { q } from "./queries.ts";
import { pick } from "../i18n/bilingual.ts";

export type CalendarResult =
  | { kind: "ok"; ics: string; sessions: number }
  | { kind: "notYours" }
  | { kind: "notFound" }
  | { kind: "noSessions" };

interface SessionRow {
  id: number;
  seq: number;
  starts_at: string;
  ends_at: string;
  venue_zh: string | null;
  venue_en: string | null;
  address_zh: string | null;
  address_en: string | null;
}

/**
 * An iCalendar file with every scheduled session of the enrolment's course. The `ics` package
 * cannot write time-zone definitions, so times are written in UTC (…Z), which every phone
 * calendar shows in its own zone. Stable UIDs make a second import update, not duplicate.
 */
export function enrolmentCalendar(
  db: Db,
  input: { enrolmentId: number; accountId: number; locale: Locale },
): CalendarResult {
  const row = q(db).enrolment.get(input.enrolmentId);
  if (!row) return { kind: "notFound" };
  if (row.account_id !== input.accountId) return { kind: "notYours" };
  // A button on an old message must not hand out the classes of a cancelled (or not yet
  // confirmed) enrolment: only a seat that is held gets a calendar.
  if (row.status !== "enrolled") return { kind: "notFound" };
  const course = q(db).course.get(row.course_id);
  if (!course) return { kind: "notFound" };
  const sessions = db
    .prepare<[number], SessionRow>(
      `SELECT s.id, s.seq, s.starts_at, s.ends_at, v.name_zh AS venue_zh, v.name_en AS venue_en,
              v.address_zh, v.address_en
       FROM sessions s LEFT JOIN venues v ON v.id = COALESCE(s.venue_id, (SELECT venue_id FROM courses WHERE id = s.course_id))
       WHERE s.course_id = ? AND s.status = 'scheduled' ORDER BY s.starts_at`,
    )
    .all(row.course_id);
  if (sessions.length === 0) return { kind: "noSessions" };
  const title = pick({ zh: course.title_zh, en: course.title_en }, input.locale);
  const events: EventAttributes[] = sessions.map((s) => {
    const venue = pick({ zh: s.venue_zh, en: s.venue_en }, input.locale);
    const address = pick({ zh: s.address_zh, en: s.address_en }, input.locale);
    const location = [venue, address].filter((x): x is string => Boolean(x)).join(", ");
    return {
      uid: `lifelong-session-${s.id}@lifelong`,
      title: `${title} (${s.seq}/${sessions.length})`,
      start: Date.parse(s.starts_at),
      startInputType: "utc",
      startOutputType: "utc",
      end: Date.parse(s.ends_at),
      endInputType: "utc",
      endOutputType: "utc",
      ...(location ? { location } : {}),
      productId: "lifelong/community-school",
      calName: title,
    } as EventAttributes;
  });
  const { error, value } = createEvents(events);
  if (error || !value) throw error ?? new Error("ics: no output");
  return { kind: "ok", ics: value, sessions: sessions.length };
}
