import type { InlineKeyboardMarkup } from "grammy/types";
import { preparedFor } from "../db/connection.ts";
import type { Db } from "../db/connection.ts";
import { formatDateTime, formatTime } from "../i18n/format.ts";
import type { ClassPlace } from "../enrollment/place.ts";
import { classPlace } from "../enrollment/place.ts";
import type { Locale } from "../i18n/index.ts";
import type { RenderContext, Template } from "../notify/template.ts";
import { cbRoute, field } from "../callback-data.ts";
import { pick } from "../i18n/bilingual.ts";

/**
 * The reminder buttons: y coming, c can't come this time, u take that back, d drop (asks
 * first), D drop confirmed, k keep.
 */
export type ReminderAction = "y" | "c" | "u" | "d" | "D" | "k";

/** Callback data of a reminder button: `rem:<action>:<session>:<person>`. */
export const reminderRoute = cbRoute(
  "rem",
  field.oneOf<ReminderAction>("y", "c", "u", "d", "D", "k"),
  field.id,
  field.id,
);

/** One participant's place at one session, as a reminder and its buttons see it now. */
export interface ReminderTarget {
  sessionId: number;
  personId: number;
  courseId: number;
  startsAt: string;
  endsAt: string;
  sessionStatus: "scheduled" | "cancelled";
  courseTitle: { zh: string; en: string };
  venue: { zh: string; en: string } | null;
  personName: string;
  isSelf: boolean;
  accountId: number | null;
  enrolmentId: number | null;
  enrolmentStatus: string | null;
  attendance: string | null;
}

interface TargetRow {
  session_id: number;
  person_id: number;
  course_id: number;
  starts_at: string;
  ends_at: string;
  status: "scheduled" | "cancelled";
  title_zh: string;
  title_en: string;
  venue_zh: string | null;
  venue_en: string | null;
  name: string;
  is_self: number;
  account_id: number | null;
  enrolment_id: number | null;
  enrolment_status: string | null;
  attendance: string | null;
}

const targetQuery = preparedFor((db: Db) =>
  db.prepare<[number, number], TargetRow>(
    `SELECT s.id AS session_id, p.id AS person_id, c.id AS course_id, s.starts_at, s.ends_at, s.status,
              c.title_zh, c.title_en, v.name_zh AS venue_zh, v.name_en AS venue_en, p.name, p.is_self, p.account_id,
              e.id AS enrolment_id, e.status AS enrolment_status, a.status AS attendance
       FROM sessions s JOIN courses c ON c.id = s.course_id JOIN people p ON p.id = ?
       LEFT JOIN venues v ON v.id = COALESCE(s.venue_id, c.venue_id)
       LEFT JOIN enrolments e ON e.course_id = c.id AND e.person_id = p.id
       LEFT JOIN attendance a ON a.session_id = s.id AND a.person_id = p.id
       WHERE s.id = ?`,
  ),
);

/**
 * Loads what a reminder is about, for the template (is it still worth sending?) and for the
 * buttons (may this account act on it?), from the same query so the two never disagree.
 */
export function loadReminderTarget(db: Db, sessionId: number, personId: number): ReminderTarget | undefined {
  const r = targetQuery(db).get(personId, sessionId);
  if (!r) return undefined;
  return {
    sessionId: r.session_id,
    personId: r.person_id,
    courseId: r.course_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    sessionStatus: r.status,
    courseTitle: { zh: r.title_zh, en: r.title_en },
    venue: r.venue_zh === null ? null : { zh: r.venue_zh, en: r.venue_en ?? r.venue_zh },
    personName: r.name,
    isSelf: r.is_self === 1,
    accountId: r.account_id,
    enrolmentId: r.enrolment_id,
    enrolmentStatus: r.enrolment_status,
    attendance: r.attendance,
  };
}

/**
 * "📍 地点：景泰路街道社区学校 · 书画室（二楼）" and the address under it: a reminder, an offer or a
 * notice names the site as well as the room, since a district has several sites.
 */
export function placeLines(
  ctx: Pick<RenderContext, "t" | "locale">,
  place: ClassPlace | undefined,
): string[] {
  if (!place) return [];
  const pick = (x: { zh: string; en: string }) => (ctx.locale === "zh" ? x.zh : x.en) || x.zh || x.en;
  const lines = [
    place.venue
      ? ctx.t("courses:card.place", { site: pick(place.site), venue: pick(place.venue) })
      : ctx.t("courses:card.placeSite", { site: pick(place.site) }),
  ];
  const address = pick(place.address);
  if (address) lines.push(ctx.t("courses:card.address", { address }));
  return lines;
}

/** "3月2日周一 09:00–10:30". */
export function sessionWhen(startsAt: string, endsAt: string, locale: Locale, tz: string): string {
  return `${formatDateTime(startsAt, locale, tz)}–${formatTime(endsAt, locale, tz)}`;
}

/**
 * The buttons under a reminder: coming / can't come / drop; once "can't come" is said, a way
 * to take it back instead of the first two.
 */
export function reminderKeyboard(
  ctx: Pick<RenderContext, "t">,
  sessionId: number,
  personId: number,
  excused = false,
): InlineKeyboardMarkup {
  const button = (key: string, action: ReminderAction) => [
    {
      text: ctx.t(key),
      callback_data: reminderRoute.data(action, sessionId, personId),
    },
  ];
  const first = excused
    ? [button("resident:reminder.undo", "u")]
    : [button("notify:reminder.buttons.coming", "y"), button("notify:reminder.buttons.cantCome", "c")];
  return { inline_keyboard: [...first, button("notify:reminder.buttons.drop", "d")] };
}

/**
 * A class reminder. Dropped when it no longer fits: the session was cancelled or moved (the
 * key carries the start time it was made for), the seat is gone, or "can't come" was said.
 */
const reminder: Template = (ctx, params) => {
  const target = loadReminderTarget(ctx.db, Number(params.sessionId), Number(params.personId));
  if (target?.sessionStatus !== "scheduled" || target.startsAt !== params.startsAt) return null;
  if (target.enrolmentStatus !== "enrolled" || target.attendance === "excused") return null;
  if (target.accountId !== ctx.chatId || Date.parse(target.startsAt) <= ctx.now.getTime()) return null;
  const lines = [
    ctx.t("notify:reminder.title"),
    ctx.t("notify:reminder.course", { course: target.courseTitle[ctx.locale] || target.courseTitle.zh }),
    ctx.t("notify:reminder.when", {
      when: sessionWhen(target.startsAt, target.endsAt, ctx.locale, ctx.config.timezone),
    }),
  ];
  lines.push(...placeLines(ctx, classPlace(ctx.db, target.courseId, target.sessionId)));
  if (!target.isSelf) lines.push(ctx.t("notify:reminder.forWhom", { name: target.personName }));
  lines.push("", ctx.t("notify:reminder.ask"));
  return { text: lines.join("\n"), reply_markup: reminderKeyboard(ctx, target.sessionId, target.personId) };
};

interface SessionRow {
  course_id: number;
  starts_at: string;
  ends_at: string;
  status: string;
  title_zh: string;
  title_en: string;
  venue_zh: string | null;
  venue_en: string | null;
}

function loadSession(db: Db, sessionId: number): SessionRow | undefined {
  return db
    .prepare(
      `SELECT s.course_id, s.starts_at, s.ends_at, s.status, c.title_zh, c.title_en, v.name_zh AS venue_zh, v.name_en AS venue_en
       FROM sessions s JOIN courses c ON c.id = s.course_id LEFT JOIN venues v ON v.id = COALESCE(s.venue_id, c.venue_id)
       WHERE s.id = ?`,
    )
    .get(sessionId) as SessionRow | undefined;
}

const names = (params: Record<string, unknown>): string =>
  Array.isArray(params.names) ? (params.names as unknown[]).map(String).join("、") : "";

/** A session moved to another time; dropped if it has moved again since (a newer notice exists). */
const sessionMoved: Template = (ctx, params) => {
  const s = loadSession(ctx.db, Number(params.sessionId));
  if (s?.status !== "scheduled" || s.starts_at !== params.newStartsAt) return null;
  const tz = ctx.config.timezone;
  const course = pick({ zh: s.title_zh, en: s.title_en }, ctx.locale);
  const lines = [
    ctx.t("notify:sessionMoved.title"),
    ctx.t("notify:reminder.course", { course }),
    ...(typeof params.oldStartsAt === "string"
      ? [ctx.t("notify:sessionMoved.was", { when: formatDateTime(params.oldStartsAt, ctx.locale, tz) })]
      : []),
    ctx.t("notify:sessionMoved.now", { when: sessionWhen(s.starts_at, s.ends_at, ctx.locale, tz) }),
  ];
  lines.push(...placeLines(ctx, classPlace(ctx.db, s.course_id, Number(params.sessionId))));
  if (names(params)) lines.push(ctx.t("notify:reminder.forWhom", { name: names(params) }));
  lines.push("", ctx.t("notify:sessionMoved.footer"));
  return { text: lines.join("\n") };
};

/** A session cancelled; dropped if it was reinstated before the notice went out. */
const sessionCancelled: Template = (ctx, params) => {
  const s = loadSession(ctx.db, Number(params.sessionId));
  if (s?.status !== "cancelled") return null;
  const course = pick({ zh: s.title_zh, en: s.title_en }, ctx.locale);
  const lines = [
    ctx.t("notify:sessionCancelled.title"),
    ctx.t("notify:reminder.course", { course }),
    ctx.t("notify:reminder.when", {
      when: sessionWhen(s.starts_at, s.ends_at, ctx.locale, ctx.config.timezone),
    }),
  ];
  if (names(params)) lines.push(ctx.t("notify:reminder.forWhom", { name: names(params) }));
  lines.push("", ctx.t("notify:sessionCancelled.footer"));
  return { text: lines.join("\n") };
};

export const NOTIFY_TEMPLATES: Record<string, Template> = {
  "notify.reminder": reminder,
  "notify.sessionMoved": sessionMoved,
  "notify.sessionCancelled": sessionCancelled,
};
