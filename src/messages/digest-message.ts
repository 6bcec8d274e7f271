/**
 * Turns digest figures into what a staff member receives, in their language: a text with
 * buttons for the obvious next actions, the chart (PNG) and the tables (.xlsx).
 */
import type { TFunction } from "i18next";
import type { Locale } from "../i18n/index.ts";
import type { RenderedMessage } from "../notify/template.ts";
import { renderChartPng } from "../reports/chart.ts";
import type { DigestFigures } from "../reports/digest.ts";
import type { CourseFill, PeriodFigures } from "../reports/period.ts";
import type { SheetTable } from "../reports/xlsx.ts";
import { workbookBytes } from "../reports/xlsx.ts";
import { fitMessage } from "../telegram-html.ts";
import { escapeHtml } from "../telegram-html.ts";
import { pick } from "../i18n/bilingual.ts";
import { cutText } from "../text.ts";
import { funnelLines } from "./funnel.ts";
import { organisationSection, organisationSheet } from "./organisations.ts";
import { broadcastRoutes, courseAdminRoutes, staffRoutes } from "./staff-routes.ts";

const pct = (n: number | null) => (n === null ? "—" : `${Math.round(n * 100)}%`);
const num = (n: number | null) => (n === null ? "—" : String(n));
const title = (c: { titleZh: string; titleEn: string }, locale: Locale) =>
  pick({ zh: c.titleZh, en: c.titleEn }, locale);
/** A wish topic is a course category, or "other" (no category key): named in the reader's language. */
const topicName = (t: TFunction, topic: string): string =>
  t(`codes:category.${topic}`, { defaultValue: t("feedback:wish.otherTopic") });

/** "+3" / "−2" / "±0" against last week. */
export function delta(now: number | null, before: number | null): string {
  if (now === null || before === null) return "";
  const d = Math.round((now - before) * 100) / 100;
  return d > 0 ? ` (+${d})` : d < 0 ? ` (−${Math.abs(d)})` : " (±0)";
}

/** The lines of period figures, shared by /summary and the digest. */
export function periodLines(t: TFunction, p: PeriodFigures, before?: PeriodFigures): string[] {
  const d = (k: keyof PeriodFigures) =>
    before ? delta(p[k] as number | null, before[k] as number | null) : "";
  return [
    t("staff:fig.enrolments", { n: p.enrolments }) + d("enrolments"),
    t("staff:fig.cancellations", { n: p.cancellations }) + d("cancellations"),
    t("staff:fig.waitlistJoins", { n: p.waitlistJoins }) + d("waitlistJoins"),
    t("staff:fig.sessions", { n: p.sessionsHeld }) + d("sessionsHeld"),
    t("staff:fig.attendance", { rate: pct(p.attendanceRate), present: p.present, expected: p.expected }),
    t("staff:fig.volunteers", { n: p.newVolunteers, hours: p.volunteerHours }) + d("volunteerHours"),
    t("staff:fig.rating", { avg: num(p.averageRating), n: p.ratings }),
  ];
}

/** A short list of courses with fill and waitlist. */
export function courseLines(t: TFunction, locale: Locale, list: CourseFill[], max = 5): string[] {
  const lines = list.slice(0, max).map((c) =>
    t("staff:fig.courseLine", {
      title: title(c, locale),
      seats: c.seats,
      capacity: c.capacity,
      fill: pct(c.fillRate),
      waitlist: c.waitlist,
    }),
  );
  if (list.length > max) lines.push(t("staff:fig.more", { n: list.length - max }));
  return lines;
}

/** The digest's text (HTML), at most a few screens. */
export function digestText(t: TFunction, locale: Locale, f: DigestFigures): string {
  const tg = f.targets;
  const parts: string[] = [t("staff:digest.title", { from: f.weekStart, to: f.weekEnd })];
  parts.push(`\n<b>${t("staff:digest.targets", { year: f.year })}</b>`);
  parts.push(t("staff:digest.residents", { n: f.totals.residentsEducated, target: tg.residents_educated }));
  parts.push(t("staff:digest.kinds", { n: f.totals.courseKinds, target: tg.course_kinds }));
  parts.push(t("staff:digest.events", { n: f.totals.events, target: tg.events }));
  parts.push(
    t("staff:digest.participation", {
      rate: pct(f.totals.participationRate),
      target: pct(tg.participation_rate),
      residents: f.totals.residents,
    }),
  );
  parts.push(t("staff:digest.hours", { n: f.totals.volunteerHours, target: tg.volunteer_hours }));
  parts.push(...organisationSection(t, f.organisations, tg.employee_continuing_education_rate, 5));
  parts.push(`\n<b>${t("staff:digest.week")}</b>`);
  parts.push(...periodLines(t, f.week, f.previousWeek));
  if (f.districtWeek)
    parts.push(`\n<b>${t("staff:digest.districtWeek")}</b>`, ...periodLines(t, f.districtWeek));
  if (f.underHalf.length > 0) {
    parts.push(`\n<b>${t("staff:summary.underHalf")}</b>`, ...courseLines(t, locale, f.underHalf));
  }
  if (f.longWaitlists.length > 0) {
    parts.push(`\n<b>${t("staff:summary.longWaitlists")}</b>`, ...courseLines(t, locale, f.longWaitlists));
  }
  const rated = (label: string, list: DigestFigures["best"]) => {
    if (list.length === 0) return;
    parts.push(`\n<b>${label}</b>`);
    for (const c of list) {
      parts.push(t("staff:digest.rated", { title: title(c, locale), avg: c.average, n: c.ratings }));
      for (const cm of c.comments) {
        const who = cm.name ?? t("staff:digest.anonymous");
        parts.push(`   “${escapeHtml(cutText(cm.text, 120))}” — ${escapeHtml(who)}`);
      }
    }
  };
  rated(t("staff:digest.best"), f.best);
  rated(t("staff:digest.worst"), f.worst);
  if (f.wishes.length > 0) {
    parts.push(`\n<b>${t("staff:digest.wishes")}</b>`);
    parts.push(f.wishes.map((w) => `${escapeHtml(topicName(t, w.topic))} ×${w.count}`).join(", "));
  }
  parts.push(...funnelLines(t, f.funnel));
  if (f.weekly.every((w) => w.enrolments === 0 && w.present === 0) && f.week.sessionsHeld === 0) {
    parts.push(`\n${t("staff:digest.quiet")}`);
  }
  const text = parts.join("\n");
  return fitMessage(text);
}

/** Buttons for the obvious next actions: raise capacity where the waitlist is long, look at half-empty courses. */
export function digestButtons(t: TFunction, locale: Locale, f: DigestFigures) {
  const rows: { text: string; callback_data: string }[][] = [];
  const label = (key: string, c: CourseFill) => {
    const s = t(key, { title: title(c, locale), n: c.waitlist, interpolation: { escapeValue: false } });
    return cutText(s, 60);
  };
  for (const c of f.longWaitlists.slice(0, 3))
    rows.push([
      {
        text: label("staff:digest.actWaitlist", c),
        callback_data: courseAdminRoutes.course.data(c.courseId),
      },
    ]);
  for (const c of f.underHalf.slice(0, 2))
    rows.push([
      {
        text: label("staff:digest.actUnder", c),
        callback_data: broadcastRoutes.fromCourse.data(`c${c.courseId}`),
      },
    ]);
  rows.push([{ text: t("staff:menu.summary"), callback_data: staffRoutes.summary.data() }]);
  return { inline_keyboard: rows };
}

/** The tables behind the digest, one sheet each. */
export function digestSheets(t: TFunction, locale: Locale, f: DigestFigures): SheetTable[] {
  const h = (k: string) => t(`staff:sheet.${k}`);
  return [
    {
      name: h("targets"),
      headers: [h("measure"), h("value"), h("target")],
      rows: [
        [h("residentsEducated"), f.totals.residentsEducated, f.targets.residents_educated],
        [h("courseKinds"), f.totals.courseKinds, f.targets.course_kinds],
        [h("events"), f.totals.events, f.targets.events],
        [h("participation"), f.totals.participationRate, f.targets.participation_rate],
        [h("volunteerHours"), f.totals.volunteerHours, f.targets.volunteer_hours],
      ],
    },
    {
      name: h("weekly"),
      headers: [h("weekStart"), h("enrolments"), h("present")],
      rows: f.weekly.map((w) => [w.weekStart, w.enrolments, w.present]),
    },
    {
      name: h("courses"),
      headers: [h("code"), h("course"), h("capacity"), h("seats"), h("fillRate"), h("waitlist")],
      rows: f.fill.map((c) => [c.code, title(c, locale), c.capacity, c.seats, c.fillRate, c.waitlist]),
    },
    {
      name: h("ratings"),
      headers: [h("course"), h("ratings"), h("average"), h("comment"), h("name")],
      rows: [...f.best, ...f.worst].flatMap((c) =>
        c.comments.length === 0
          ? [[title(c, locale), c.ratings, c.average, null, null]]
          : c.comments.map((cm) => [
              title(c, locale),
              c.ratings,
              c.average,
              cm.text,
              cm.name ?? t("staff:digest.anonymous"),
            ]),
      ),
    },
    {
      name: h("demand"),
      headers: [h("topic"), h("wishes")],
      rows: f.wishes.map((w) => [topicName(t, w.topic), w.count]),
    },
    ...(f.organisations.organisations.length > 0
      ? [organisationSheet(t, f.organisations, f.targets.employee_continuing_education_rate)]
      : []),
  ];
}

/** The three messages of the digest: text with buttons, chart, spreadsheet. */
export async function digestMessages(
  t: TFunction,
  locale: Locale,
  f: DigestFigures,
): Promise<RenderedMessage[]> {
  const raw = { interpolation: { escapeValue: false } };
  const chart = await renderChartPng({
    title: t("staff:chart.title", { from: f.weekStart, ...raw }),
    trendTitle: t("staff:chart.weekly", raw),
    barsTitle: t("staff:chart.fill", raw),
    trend: f.weekly.flatMap((w) => [
      { period: w.weekStart.slice(5), series: "enrolments" as const, value: w.enrolments },
      { period: w.weekStart.slice(5), series: "present" as const, value: w.present },
    ]),
    seriesLabels: {
      enrolments: t("staff:chart.enrolments", raw),
      present: t("staff:chart.present", raw),
    },
    bars: [...f.fill]
      .filter((c) => c.fillRate !== null)
      .sort((a, b) => (b.fillRate ?? 0) - (a.fillRate ?? 0))
      .slice(0, 25)
      .map((c) => ({ name: title(c, locale), value: c.fillRate ?? 0 })),
    barsScale: "share",
    labels: {
      period: t("staff:chart.week", raw),
      count: t("staff:chart.count", raw),
      bars: t("staff:chart.fillRate", raw),
      series: "",
    },
  });
  const xlsx = await workbookBytes(digestSheets(t, locale, f));
  // The next actions come last, on a message of their own: their screens replace the message
  // they sit on, and the digest itself must stay readable.
  return [
    { text: digestText(t, locale, f) },
    { text: t("staff:digest.chartCaption"), photo: { bytes: chart, filename: `digest-${f.weekStart}.png` } },
    {
      text: t("staff:digest.xlsxCaption"),
      document: { bytes: xlsx, filename: `digest-${f.weekStart}.xlsx` },
    },
    { text: t("staff:digest.nextSteps"), reply_markup: digestButtons(t, locale, f) },
  ];
}
