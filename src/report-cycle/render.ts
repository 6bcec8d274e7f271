/**
 * A monthly report as staff and admins see it: the month's figures per category and course,
 * the three sections, voice notes, and (for the admins) the spreadsheet. Plain data for the
 * outbox templates and the bot alike.
 */
import type { TFunction } from "i18next";
import type { Db } from "../db/connection.ts";
import type { Locale } from "../i18n/index.ts";
import { monthRange } from "../reports/monthly.ts";
import type { SheetTable } from "../reports/xlsx.ts";
import { workbookBytes } from "../reports/xlsx.ts";
import { fitMessage } from "../telegram-html.ts";
import { cutText, graphemeLength } from "../text.ts";
import type { MonthlyReportRow } from "./cycle.ts";
import { SECTIONS } from "./cycle.ts";
import { cbRoute, field } from "../callback-data.ts";

/** Callback data of a monthly report, by its id: view it, write one section, submit. */
export const reportRoutes = {
  view: cbRoute("rc:v", field.id),
  write: cbRoute("rc:w", field.id, field.word),
  submit: cbRoute("rc:sub", field.id),
};
import type { DraftCourse } from "./draft.ts";
import { byCategory, draftCourses } from "./draft.ts";
import { pick } from "../i18n/bilingual.ts";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
type Button = { text: string; callback_data: string };

/** The site's name in the reader's language. */
export function siteNameOf(db: Db, siteId: number, locale: Locale): string {
  const s = db.prepare("SELECT name_zh, name_en FROM sites WHERE id = ?").get(siteId) as
    | { name_zh: string; name_en: string }
    | undefined;
  return s ? (locale === "zh" ? s.name_zh : s.name_en) : "";
}

/** The report's courses for its month. */
export function reportCourses(db: Db, r: MonthlyReportRow, timezone: string): DraftCourse[] {
  const range = monthRange(r.month, timezone)!;
  return draftCourses(db, r.siteId, range.from, range.to);
}

/** The report as one HTML message; `full` shows the sections whole (for admins), else a preview. */
export function reportText(
  t: TFunction,
  locale: Locale,
  db: Db,
  r: MonthlyReportRow,
  timezone: string,
  full = false,
): string {
  const courses = reportCourses(db, r, timezone);
  const parts = [
    t("reports-cycle:title", { site: siteNameOf(db, r.siteId, locale), month: r.month }),
    "",
    `<b>${t("reports-cycle:byCategory")}</b>`,
  ];
  if (courses.length === 0) parts.push(t("reports-cycle:noActivity"));
  for (const c of byCategory(courses))
    parts.push(t("reports-cycle:categoryLine", { ...c, category: t(`codes:category.${c.category}`) }));
  if (courses.length > 0) {
    parts.push("", `<b>${t("reports-cycle:byCourse")}</b>`);
    for (const c of courses.slice(0, 15))
      parts.push(
        t("reports-cycle:courseLine", { ...c, title: pick({ zh: c.titleZh, en: c.titleEn }, locale) }),
      );
    if (courses.length > 15) parts.push(t("reports-cycle:more", { n: courses.length - 15 }));
  }
  for (const s of SECTIONS) {
    const text = r[s];
    const voices = r.attachments.filter((a) => a.section === s).length;
    parts.push("", `<b>${t(`reports-cycle:section.${s}`)}</b>`);
    if (text === "" && voices === 0) parts.push(t("reports-cycle:emptySection"));
    if (text !== "") parts.push(esc(full ? text : cutText(text, 200)));
    if (voices > 0) parts.push(t("reports-cycle:voices", { n: voices }));
  }
  if (r.submittedAt)
    parts.push("", t("reports-cycle:submittedAt", { at: r.submittedAt.slice(0, 16).replace("T", " ") }));
  return fitMessage(parts.join("\n"));
}

/** Buttons of a draft: write each section, submit. */
export function draftButtons(t: TFunction, r: MonthlyReportRow): { inline_keyboard: Button[][] } {
  const rows: Button[][] = SECTIONS.map((s) => [
    {
      text: t(r[s] === "" ? "reports-cycle:write" : "reports-cycle:rewrite", {
        section: t(`reports-cycle:section.${s}`),
        n: graphemeLength(r[s]),
      }),
      callback_data: reportRoutes.write.data(r.id, s),
    },
  ]);
  rows.push([{ text: t("reports-cycle:submit"), callback_data: reportRoutes.submit.data(r.id) }]);
  return { inline_keyboard: rows };
}

/** The spreadsheet for the district: categories, courses and the three texts. */
export async function reportWorkbook(
  t: TFunction,
  locale: Locale,
  db: Db,
  r: MonthlyReportRow,
  timezone: string,
): Promise<Uint8Array> {
  const courses = reportCourses(db, r, timezone);
  const h = (k: string) => t(`reports-cycle:sheet.${k}`);
  const sheets: SheetTable[] = [
    {
      name: h("categories"),
      headers: [h("category"), h("courses"), h("sessions"), h("enrolments"), h("present")],
      rows: byCategory(courses).map((c) => [
        t(`codes:category.${c.category}`),
        c.courses,
        c.sessions,
        c.enrolments,
        c.present,
      ]),
    },
    {
      name: h("courses"),
      headers: [h("code"), h("course"), h("category"), h("sessions"), h("enrolments"), h("present")],
      rows: courses.map((c) => [
        c.code,
        pick({ zh: c.titleZh, en: c.titleEn }, locale),
        t(`codes:category.${c.category}`),
        c.sessions,
        c.enrolments,
        c.present,
      ]),
    },
    {
      name: h("texts"),
      headers: [h("section"), h("text"), h("voices")],
      rows: SECTIONS.map((s) => [
        t(`reports-cycle:section.${s}`),
        r[s],
        r.attachments.filter((a) => a.section === s).length,
      ]),
    },
  ];
  return workbookBytes(sheets);
}
