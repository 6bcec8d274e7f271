/**
 * The half-year review's documents: a spreadsheet with every table, and a PDF summary of at
 * most two A4 pages for the meeting (long tables are cut there, the spreadsheet keeps all).
 */
import type { TFunction } from "i18next";
import type { Locale } from "../i18n/index.ts";
import { pick } from "../i18n/bilingual.ts";
import type { PdfDoc } from "../print/pdf.ts";
import { fitLine, textWidth, wrap } from "../print/measure.ts";
import { MM, printable, renderPdf } from "../print/pdf.ts";
import type { SheetTable } from "../reports/xlsx.ts";
import { workbookBytes } from "../reports/xlsx.ts";
import { addDays, localDate } from "../time.ts";
import type { ReviewFigures, TargetLine } from "./figures.ts";
import type { SliceFigures } from "./slices.ts";

const pct = (n: number | null) => (n === null ? "—" : `${Math.round(n * 100)}%`);
const num = (n: number | null) => (n === null ? "—" : String(n));
const RATES = new Set(["participation_rate", "employee_continuing_education_rate", "monthly_report"]);

/** A target or figure as the reader reads it: rates as percentages, yes for `true`. */
function shown(t: TFunction, line: TargetLine, value: number | boolean | null): string {
  if (typeof value === "boolean") return value ? t("review:yes") : "—";
  return RATES.has(line.key) ? pct(value) : num(value);
}

const topicName = (t: TFunction, topic: string): string =>
  t(`codes:category.${topic}`, { defaultValue: t("feedback:wish.otherTopic") });

/** The review's title, e.g. "2026年上半年工作回顾". */
export function reviewTitle(t: TFunction, f: Pick<ReviewFigures, "year" | "half">): string {
  return t("review:title", { year: f.year, half: t(`review:half${f.half}`) });
}

/** The first and last local day of the half. */
function period(f: ReviewFigures, timezone: string): { from: string; to: string } {
  return {
    from: localDate(new Date(f.from), timezone),
    to: addDays(localDate(new Date(f.to), timezone), -1),
  };
}

/** Every table of the review, in the reader's language. */
export function reviewTables(t: TFunction, locale: Locale, f: ReviewFigures): SheetTable[] {
  const h = (k: string) => t(`review:head.${k}`);
  const name = (s: SliceFigures, category: boolean) =>
    category
      ? t(`codes:category.${s.key}`, { defaultValue: s.key })
      : pick({ zh: s.nameZh, en: s.nameEn }, locale);
  const sliceRows = (list: SliceFigures[], category: boolean) =>
    list.map((s) => [
      name(s, category),
      s.enrolments,
      s.sessionsHeld,
      s.present,
      pct(s.attendanceRate),
      s.volunteerHours,
      s.ratings,
      num(s.averageRating),
    ]);
  const sliceHeaders = (first: string) => [
    h(first),
    h("enrolments"),
    h("sessions"),
    h("present"),
    h("attendance"),
    h("hours"),
    h("ratings"),
    h("average"),
  ];
  return [
    {
      name: t("review:sheet.targets"),
      headers: [h("targets"), h("target"), h("figure"), h("progress")],
      rows: f.targets.map((l) => [
        t(`review:target.${l.key}`),
        shown(t, l, l.target),
        shown(t, l, l.figure),
        pct(l.progress),
      ]),
    },
    {
      name: t("review:sheet.months"),
      headers: sliceHeaders("month"),
      rows: sliceRows(
        f.months.map((m, i) => ({
          ...m,
          key: f.monthKeys[i]!,
          nameZh: f.monthKeys[i]!,
          nameEn: f.monthKeys[i]!,
        })),
        false,
      ),
    },
    { name: t("review:sheet.sites"), headers: sliceHeaders("site"), rows: sliceRows(f.sites, false) },
    {
      name: t("review:sheet.categories"),
      headers: sliceHeaders("category"),
      rows: sliceRows(f.categories, true),
    },
    {
      name: t("review:sheet.organisations"),
      headers: [h("organisation"), h("site"), h("employees"), h("trained"), h("rate")],
      rows: f.organisations.organisations.map((o) => [
        o.name,
        pick(o.siteName, locale),
        o.employees,
        o.trained,
        pct(o.rate),
      ]),
    },
    {
      name: t("review:sheet.wishes"),
      headers: [h("wish"), h("count")],
      rows: f.wishes.map((w) => [topicName(t, w.topic), w.count]),
    },
    {
      name: t("review:sheet.reports"),
      headers: [h("site"), ...f.monthKeys],
      rows: f.reports.map((r) => [
        pick({ zh: r.nameZh, en: r.nameEn }, locale),
        ...r.months.map((s) => t(`review:status.${s}`)),
      ]),
    },
  ];
}

/** The spreadsheet: one sheet per table. */
export function reviewWorkbook(t: TFunction, locale: Locale, f: ReviewFigures): Promise<Uint8Array> {
  return workbookBytes(reviewTables(t, locale, f));
}

/** Rows a table may show in the PDF before it points to the spreadsheet. */
const PDF_ROWS = 8;
const FONT = 8.5;

/**
 * Column widths from what the columns hold: each wants its widest cell (a heading may take two
 * lines), at most 45 % of the line; then all are scaled together to fill the line exactly.
 */
function columnWidths(sheet: SheetTable, width: number): number[] {
  const pad = 6;
  const wants = sheet.headers.map((head, i) => {
    const words = head.split(/\s+/).map((w) => textWidth(w, FONT, true));
    const heading = Math.max(...words, textWidth(head, FONT, true) / 2);
    const cells = sheet.rows.slice(0, PDF_ROWS).map((r) => textWidth(String(r[i] ?? ""), FONT));
    return Math.min(Math.max(heading, ...cells) + pad, width * 0.45);
  });
  const sum = wants.reduce((a, b) => a + b, 0);
  return wants.map((w) => (w * width) / sum);
}

/**
 * Draws a table. Headings wrap onto two lines; a cell that does not fit its column is cut with
 * an ellipsis, by its printed width (a Chinese character is about twice a Latin letter).
 */
function table(doc: PdfDoc, t: TFunction, sheet: SheetTable): void {
  const left = doc.page.margins.left;
  const widths = columnWidths(sheet, doc.page.width - left - doc.page.margins.right);
  const row = (cells: (string | number | null)[], bold: boolean) => {
    const y = doc.y;
    let x = left;
    let lines = 1;
    doc.font(bold ? "sc-bold" : "sc").fontSize(FONT);
    cells.forEach((c, i) => {
      const w = widths[i]! - 4;
      const text = String(c ?? "");
      const cell = bold ? wrap(text, FONT, w, true, 2) : [fitLine(text, FONT, w)];
      lines = Math.max(lines, cell.length);
      cell.forEach((line, k) => {
        doc.text(line, x, y + k * FONT * 1.25, { width: w + 2, lineBreak: false });
      });
      x += widths[i]!;
    });
    doc.x = left;
    doc.y = y + FONT * 0.2 + lines * FONT * 1.25;
  };
  row(sheet.headers, true);
  for (const r of sheet.rows.slice(0, PDF_ROWS)) row(r, false);
  if (sheet.rows.length > PDF_ROWS) {
    doc.font("sc").fontSize(FONT).fillColor("#555555");
    doc.text(t("review:more", { count: sheet.rows.length - PDF_ROWS }), left);
    doc.fillColor("#000000");
  }
  if (sheet.rows.length === 0) doc.font("sc").fontSize(FONT).text(t("review:none"), left);
  doc.moveDown(0.4);
}

/**
 * The two-page summary. Sections that would spill onto a third page are left to the
 * spreadsheet rather than printed: the meeting's paper stays two pages.
 */
export async function reviewPdf(
  t: TFunction,
  locale: Locale,
  f: ReviewFigures,
  timezone: string,
): Promise<Buffer> {
  const tables = reviewTables(t, locale, f);
  const title = reviewTitle(t, f);
  const p = period(f, timezone);
  return renderPdf(
    (doc) => {
      let page = 1;
      const bottom = () => doc.page.height - doc.page.margins.bottom;
      /** Starts a new page when `need` points will not fit; false once the second page is full. */
      const room = (need: number): boolean => {
        if (doc.y + need <= bottom()) return true;
        if (page >= 2) return false;
        doc.addPage();
        page++;
        return true;
      };
      doc.font("sc-bold").fontSize(16).text(printable(title), { align: "center" });
      doc.font("sc").fontSize(9).text(t("review:period", p), { align: "center" });
      doc.moveDown(0.6);
      const heading = (key: string) =>
        doc
          .font("sc-bold")
          .fontSize(11)
          .text(t(`review:section.${key}`));
      const sections: { key: string; sheet?: SheetTable; extra?: string }[] = [
        { key: "targets", sheet: tables[0] },
        { key: "months", sheet: tables[1] },
        { key: "sites", sheet: tables[2] },
        { key: "categories", sheet: tables[3] },
        {
          key: "organisations",
          sheet: tables[4],
          extra: t("review:district", {
            employees: f.organisations.employees,
            trained: f.organisations.trained,
            rate: pct(f.organisations.rate),
          }),
        },
        {
          key: "service",
          extra: t("review:service", {
            half: f.volunteerHours.half,
            year: f.volunteerHours.year,
            ratings: f.satisfaction.ratings,
            average: num(f.satisfaction.average),
          }),
        },
        { key: "wishes", sheet: tables[5] },
        {
          key: "reports",
          sheet: tables[6],
          extra: t("review:reportsLine", { due: f.reportsDue, sent: f.reportsSent }),
        },
      ];
      for (const s of sections) {
        const rows = Math.min(PDF_ROWS, s.sheet?.rows.length ?? 0) + (s.sheet ? 2 : 0) + (s.extra ? 2 : 0);
        if (!room(14 + rows * FONT * 1.5)) break;
        heading(s.key);
        if (s.extra) doc.font("sc").fontSize(9).text(printable(s.extra));
        if (s.sheet) table(doc, t, s.sheet);
        doc.moveDown(0.3);
      }
    },
    { title, margin: 12 * MM },
  );
}
