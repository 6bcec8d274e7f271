import { InlineKeyboard } from "grammy";
import { acceptsEnrolment } from "../../catalog/availability.ts";
import { WEEKDAYS } from "../../catalog/codes.ts";
import type { CourseView } from "../../catalog/queries.ts";
import { getCourseView, weeklyPattern } from "../../catalog/queries.ts";
import { formatDate, formatDateTime, formatFee } from "../../i18n/format.ts";
import type { ConvContext } from "../context.ts";
import { escapeHtml } from "../../telegram-html.ts";
import { enrolRoutes } from "./enrol.ts";
import { pick } from "../../i18n/bilingual.ts";

function ageText(ctx: ConvContext, view: CourseView): string {
  const { minAge: min, maxAge: max } = view;
  if (min !== null && max !== null) return ctx.t("courses:card.ageRange", { min, max });
  if (min !== null) return ctx.t("courses:card.ageMin", { min });
  if (max !== null) return ctx.t("courses:card.ageMax", { max });
  return "";
}

/** "周二、周四 14:00" — upcoming sessions grouped by start time. */
function weeklyLines(ctx: ConvContext, view: CourseView): string[] {
  const { db, clock, config } = ctx.deps;
  const pattern = weeklyPattern(db, view.id, clock.now(), config.timezone);
  // One-off dates (lectures, events) have no weekly rhythm worth a line; the next date says it all.
  if (view.kind !== "course" || pattern.length === 0 || pattern.length > 7) return [];
  const byTime = new Map<string, number[]>();
  for (const p of pattern) byTime.set(p.time, [...(byTime.get(p.time) ?? []), p.weekday]);
  return [...byTime.entries()].map(([time, days]) =>
    ctx.t("courses:card.weekly", {
      days: days
        .map((d) => ctx.t(`codes:weekday.${WEEKDAYS[d] ?? "mon"}`))
        .join(ctx.t("courses:card.weekdayJoin")),
      time,
    }),
  );
}

/** The card's text (HTML): everything a resident needs to decide, with counts only, never names. */
export function courseCardText(ctx: ConvContext, view: CourseView): string {
  const tz = ctx.deps.config.timezone;
  const a = view.availability;
  const lines: string[] = [`<b>${escapeHtml(pick(view.title, ctx.locale))}</b>`];
  const description = pick(view.description, ctx.locale);
  if (description) lines.push(escapeHtml(description));
  lines.push("");
  const audiences = view.audiences.map((x) => ctx.t(`codes:audience.${x}`, { defaultValue: x }));
  const ages = ageText(ctx, view);
  if (audiences.length > 0 || ages) {
    lines.push(
      ctx.t("courses:card.audience", {
        audiences: audiences.join(ctx.t("common:listSep")) || ages,
        interpolation: { escapeValue: false },
      }) + (audiences.length > 0 && ages ? ctx.t("courses:card.ages", { ages }) : ""),
    );
  }
  if (view.teacherName) lines.push(ctx.t("courses:card.teacher", { teacher: view.teacherName }));
  const site = pick(view.site.name, ctx.locale);
  lines.push(
    view.venue
      ? ctx.t("courses:card.place", { site, venue: pick(view.venue.name, ctx.locale) })
      : ctx.t("courses:card.placeSite", { site }),
  );
  const address = (view.venue && pick(view.venue.address, ctx.locale)) || pick(view.site.address, ctx.locale);
  if (address) lines.push(ctx.t("courses:card.address", { address }));
  lines.push(...weeklyLines(ctx, view));
  if (a.nextSessionAt) {
    if (a.firstSessionAt && a.firstSessionAt === a.nextSessionAt && view.kind === "course") {
      lines.push(ctx.t("courses:card.firstOn", { date: formatDate(a.firstSessionAt, ctx.locale, tz) }));
    }
    lines.push(
      ctx.t("courses:card.next", { when: formatDateTime(a.nextSessionAt, ctx.locale, tz) }) +
        ctx.t("courses:card.left", { count: a.sessionsLeft }),
    );
  } else lines.push(ctx.t("courses:card.noMore"));
  lines.push(
    ctx.t("courses:card.fee", {
      fee: view.feeCents === 0 ? ctx.t("courses:card.free") : formatFee(view.feeCents, ctx.locale),
    }),
  );
  if (a.state === "full") lines.push(ctx.t("courses:card.full", { count: a.waitlist }));
  else if (a.state === "open" || a.state === "starting_soon") {
    lines.push(ctx.t("courses:card.seats", { count: a.free, capacity: a.capacity }));
  }
  let state = ctx.t(`courses:state.${a.state}`);
  const now = ctx.deps.clock.now().toISOString();
  if (a.state === "closed" && view.enrolOpensAt && view.enrolOpensAt > now) {
    state += ` · ${ctx.t("courses:card.opensOn", { date: formatDate(view.enrolOpensAt, ctx.locale, tz) })}`;
  }
  lines.push(ctx.t("courses:card.state", { state, interpolation: { escapeValue: false } }));
  if (acceptsEnrolment(a.state) && view.enrolClosesAt && view.enrolClosesAt > now) {
    lines.push(ctx.t("courses:card.closesOn", { date: formatDate(view.enrolClosesAt, ctx.locale, tz) }));
  }
  if (view.healthRelated) lines.push(ctx.t("courses:card.private"));
  return lines.join("\n");
}

/**
 * A course's card with an Enrol (or Join waitlist) button when enrolment is possible, and a
 * Back button to `backData`. Undefined when the course does not exist or is a draft.
 */
export function renderCourseCard(
  ctx: ConvContext,
  courseId: number,
  backData: string,
): { text: string; reply_markup: InlineKeyboard } | undefined {
  const view = getCourseView(ctx.deps.db, courseId, ctx.deps.clock.now());
  if (!view || view.status === "draft") return undefined;
  const kb = new InlineKeyboard();
  const state = view.availability.state;
  if (acceptsEnrolment(state)) {
    kb.text(
      ctx.t(state === "full" ? "courses:card.waitlist" : "courses:card.enrol"),
      enrolRoutes.start.data(view.id),
    ).row();
  }
  // Share: the person picks a chat (a family group) and the card goes there via inline mode;
  // inline search has only courses still running, so an ended one has nothing to share.
  if (state !== "finished" && state !== "cancelled") {
    kb.switchInlineChosen(ctx.t("publicity:share.button"), {
      query: view.code,
      allow_user_chats: true,
      allow_group_chats: true,
    }).row();
  }
  kb.text(ctx.t("common:back"), backData);
  return { text: courseCardText(ctx, view), reply_markup: kb };
}
