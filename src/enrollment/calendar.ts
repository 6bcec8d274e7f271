import type { EventAttributes } from "ics";
import { createEvents } from "ics";
import type { Db } from "../db/connection.ts";
import type { Locale } from "../i18n/index.ts";
import { startOfLocalDay } from "../time.ts";
import { q } from "./queries.ts";
import { pick } from "../i18n/bilingual.ts";

export type CalendarResult =
  | { kind: "ok"; ics: string; sessions: number; title: string; fileName: string }
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
  site_zh: string;
  site_en: string;
  site_address_zh: string;
  site_address_en: string;
  moves: number;
}

/** A file name from a course title: letters and digits of any script kept, the rest made dashes. */
export function calendarFileName(title: string): string {
  const stem = title
    .normalize("NFKC")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  return `${[...stem].slice(0, 60).join("") || "course"}.ics`;
}

/**
 * An iCalendar file with the scheduled sessions of the enrolment's course from today on (in
 * the school's zone), each located at its site, venue and address. The `ics` package cannot
 * write time-zone definitions, so times are written in UTC (…Z), which every phone calendar
 * shows in its own zone. Stable UIDs and a SEQUENCE that counts the session's moves make a
 * second import update the events, not duplicate them.
 */
export function enrolmentCalendar(
  db: Db,
  input: { enrolmentId: number; accountId: number; locale: Locale; now: Date; timezone: string },
): CalendarResult {
  const row = q(db).enrolment.get(input.enrolmentId);
  if (!row) return { kind: "notFound" };
  if (row.account_id !== input.accountId) return { kind: "notYours" };
  // A button on an old message must not hand out the classes of a cancelled (or not yet
  // confirmed) enrolment: only a seat that is held gets a calendar.
  if (row.status !== "enrolled") return { kind: "notFound" };
  const course = q(db).course.get(row.course_id);
  if (!course) return { kind: "notFound" };
  const today = startOfLocalDay(input.now, input.timezone).toISOString();
  const sessions = db
    .prepare<[number, string], SessionRow>(
      `SELECT s.id, s.seq, s.starts_at, s.ends_at, v.name_zh AS venue_zh, v.name_en AS venue_en,
              v.address_zh, v.address_en, st.name_zh AS site_zh, st.name_en AS site_en,
              st.address_zh AS site_address_zh, st.address_en AS site_address_en,
              (SELECT count(*) FROM audit_log a WHERE a.subject = 'session:' || s.id AND a.action = 'session.move') AS moves
       FROM sessions s JOIN courses c ON c.id = s.course_id JOIN sites st ON st.id = c.site_id
       LEFT JOIN venues v ON v.id = COALESCE(s.venue_id, c.venue_id)
       WHERE s.course_id = ? AND s.status = 'scheduled' AND s.starts_at >= ? ORDER BY s.starts_at`,
    )
    .all(row.course_id, today);
  if (sessions.length === 0) return { kind: "noSessions" };
  const title = pick({ zh: course.title_zh, en: course.title_en }, input.locale);
  const total = db
    .prepare<[number], { n: number }>(
      "SELECT count(*) AS n FROM sessions WHERE course_id = ? AND status = 'scheduled'",
    )
    .get(row.course_id)?.n;
  const events: EventAttributes[] = sessions.map((s) => {
    const local = (zh: string | null, en: string | null) => pick({ zh, en }, input.locale);
    const address = local(s.address_zh, s.address_en) || local(s.site_address_zh, s.site_address_en);
    const location = [local(s.site_zh, s.site_en), local(s.venue_zh, s.venue_en), address]
      .filter(Boolean)
      .join(input.locale === "zh" ? "，" : ", ");
    return {
      uid: `lifelong-session-${s.id}@lifelong`,
      sequence: s.moves,
      title: `${title} (${s.seq}/${total ?? sessions.length})`,
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
  return { kind: "ok", ics: value, sessions: sessions.length, title, fileName: calendarFileName(title) };
}
