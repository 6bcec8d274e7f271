/**
 * The words of channel posts, in the channel's language. Course facts and counts only: the
 * channel is public, so no names ever.
 */
import type { TFunction } from "i18next";
import { findCourses, getCourseView } from "../catalog/queries.ts";
import type { Db } from "../db/connection.ts";
import { formatDate, formatDateTime } from "../i18n/format.ts";
import type { Locale } from "../i18n/index.ts";
import { localDate, zonedTimeToUtc, addDays } from "../time.ts";
import type { ChannelPost } from "./channel-feed.ts";
import { coursePayload, deepLink } from "./links.ts";

export interface PostText {
  text: string;
  /** The deep link for the post's button, when it is about one course. */
  link?: string;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

interface Env {
  db: Db;
  t: TFunction;
  locale: Locale;
  timezone: string;
  now: Date;
  botUsername: string | undefined;
}

const raw = { interpolation: { escapeValue: false } };

/** The post's text; null when there is nothing left to say (the course is gone, the event was cancelled). */
export function channelPostText(env: Env, post: ChannelPost): PostText | null {
  const { db, t, locale, timezone: tz, now } = env;
  const pick = (b: { zh: string; en: string }) => esc((locale === "zh" ? b.zh : b.en) || b.zh || b.en);
  const view = post.courseId === null ? undefined : getCourseView(db, post.courseId, now);
  const link =
    view && env.botUsername ? deepLink(env.botUsername, coursePayload(view, "channel")) : undefined;
  const withLink = (text: string): PostText => (link ? { text, link } : { text });
  const seats = (free: number, state: string) =>
    state === "full" ? t("publicity:poster.full", raw) : t("publicity:channel.seats", { free, ...raw });
  switch (post.kind) {
    case "open": {
      if (view?.status !== "open") return null;
      const a = view.availability;
      const facts = [
        a.nextSessionAt ? formatDateTime(a.nextSessionAt, locale, tz) : "",
        pick(view.site.name),
        seats(a.free, a.state),
      ].filter(Boolean);
      return withLink(
        t("publicity:channel.open", { title: pick(view.title), facts: facts.join(" · "), ...raw }),
      );
    }
    case "soon": {
      if (!view || post.sessionId === null) return null;
      const s = db.prepare("SELECT starts_at, status FROM sessions WHERE id = ?").get(post.sessionId) as
        | { starts_at: string; status: string }
        | undefined;
      if (s?.status !== "scheduled") return null;
      return withLink(
        t("publicity:channel.soon", {
          title: pick(view.title),
          when: formatDateTime(s.starts_at, locale, tz),
          where: pick(view.venue?.name ?? view.site.name),
          ...raw,
        }),
      );
    }
    case "after": {
      if (!view || post.sessionId === null) return null;
      const row = db
        .prepare(
          "SELECT s.starts_at, (SELECT COUNT(*) FROM attendance a WHERE a.session_id = s.id AND a.status = 'present') AS n FROM sessions s WHERE s.id = ?",
        )
        .get(post.sessionId) as { starts_at: string; n: number } | undefined;
      if (!row || row.n === 0) return null;
      return {
        text: t("publicity:channel.after", {
          title: pick(view.title),
          date: formatDate(row.starts_at, locale, tz),
          count: row.n,
          ...raw,
        }),
      };
    }
    case "week": {
      const monday = localDate(now, tz);
      const from = zonedTimeToUtc(monday, "00:00", tz).toISOString();
      const to = zonedTimeToUtc(addDays(monday, 7), "00:00", tz).toISOString();
      // What starts this week: courses whose first session, and events whose session, falls in it.
      const starting = findCourses(db, {}, now, tz)
        .filter((c) => c.status === "open")
        .filter((c) => {
          const first = c.kind === "course" ? c.availability.firstSessionAt : c.availability.nextSessionAt;
          return first !== null && first >= from && first < to;
        })
        .slice(0, 15);
      const lines = starting.map((c) =>
        t("publicity:channel.weekLine", {
          title: pick(c.title),
          when: formatDateTime(
            (c.kind === "course" ? c.availability.firstSessionAt : c.availability.nextSessionAt) ?? from,
            locale,
            tz,
          ),
          seats: seats(c.availability.free, c.availability.state),
          ...raw,
        }),
      );
      const head = t("publicity:channel.week", { date: formatDate(from, locale, tz), ...raw });
      return { text: [head, ...(lines.length ? lines : [t("publicity:channel.weekNone")])].join("\n") };
    }
  }
}
