/**
 * The monthly report cycle: drafts opened on the first working day of a month for the month
 * just ended, sections written in the chat, submission, lateness after the fifth working day,
 * and the year's grid of who sent what.
 */
import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import { enqueueEach } from "../notify/outbox.ts";
import { admins } from "../people/recipients.ts";
import { graphemeLength } from "../text.ts";
import { localDate, zonedTimeToUtc } from "../time.ts";
import type { WorkdayCalendar } from "./workdays.ts";
import { nthWorkingDay } from "./workdays.ts";

export const SECTIONS = ["highlights", "problems", "next_plan"] as const;
export type Section = (typeof SECTIONS)[number];
export const isSection = (v: unknown): v is Section =>
  typeof v === "string" && (SECTIONS as readonly string[]).includes(v);

/** Longest text of one section, in characters as a reader counts them. */
export const MAX_SECTION = 1000;
/** The working day of the month from which a report still missing is late. */
export const LATE_FROM_WORKING_DAY = 5;

export interface MonthlyReportRow {
  id: number;
  siteId: number;
  month: string;
  highlights: string;
  problems: string;
  next_plan: string;
  attachments: { section: Section; fileId: string; seconds: number }[];
  openedAt: string;
  dueAt: string;
  submittedAt: string | null;
  submittedBy: number | null;
  remindedAt: string | null;
}

const COLS = `id, site_id AS siteId, month, highlights, problems, next_plan, attachments, opened_at AS openedAt,
  due_at AS dueAt, submitted_at AS submittedAt, submitted_by AS submittedBy, reminded_at AS remindedAt`;

const toRow = (r: Omit<MonthlyReportRow, "attachments"> & { attachments: string }): MonthlyReportRow => ({
  ...r,
  attachments: JSON.parse(r.attachments) as MonthlyReportRow["attachments"],
});

/** `YYYY-MM` before the given one. */
export function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** `YYYY-MM` after the given one. */
export function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

/** The instants that matter for the report of `month`: when it opens and when it is late. */
export function cycleDates(
  cal: WorkdayCalendar,
  month: string,
  timezone: string,
): { opensOn: string; lateOn: string; opensAt: Date; dueAt: Date } {
  const following = nextMonth(month);
  const opensOn = nthWorkingDay(cal, following, 1);
  const lateOn = nthWorkingDay(cal, following, LATE_FROM_WORKING_DAY);
  return {
    opensOn,
    lateOn,
    opensAt: zonedTimeToUtc(opensOn, "00:00", timezone),
    dueAt: zonedTimeToUtc(lateOn, "00:00", timezone),
  };
}

/** The sites that owe a monthly report: the grass-roots community schools. */
export function reportingSites(db: Db): { id: number; code: string; nameZh: string; nameEn: string }[] {
  return db
    .prepare(
      "SELECT id, code, name_zh AS nameZh, name_en AS nameEn FROM sites WHERE kind = 'school' ORDER BY id",
    )
    .all() as { id: number; code: string; nameZh: string; nameEn: string }[];
}

/**
 * Opens the drafts of the month before `now`'s month once its first working day has come:
 * one per reporting site, created once (the unique (site, month) row). Returns the new ones.
 */
export function openDrafts(
  db: Db,
  cal: WorkdayCalendar,
  now: Date,
  timezone: string,
): { month: string; opened: { id: number; siteId: number }[] } {
  const month = previousMonth(localDate(now, timezone).slice(0, 7));
  const d = cycleDates(cal, month, timezone);
  if (now < d.opensAt) return { month, opened: [] };
  return immediate(db, () => {
    const insert = db.prepare(
      `INSERT INTO monthly_reports (site_id, month, opened_at, due_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (site_id, month) DO NOTHING`,
    );
    const opened: { id: number; siteId: number }[] = [];
    for (const s of reportingSites(db)) {
      const r = insert.run(s.id, month, now.toISOString(), d.dueAt.toISOString());
      if (r.changes > 0) opened.push({ id: Number(r.lastInsertRowid), siteId: s.id });
    }
    return { month, opened };
  });
}

/** One report by id. */
export function getReport(db: Db, id: number): MonthlyReportRow | undefined {
  const r = db.prepare(`SELECT ${COLS} FROM monthly_reports WHERE id = ?`).get(id) as
    | (Omit<MonthlyReportRow, "attachments"> & { attachments: string })
    | undefined;
  return r ? toRow(r) : undefined;
}

export type SectionResult =
  | { kind: "saved"; length: number }
  | { kind: "tooLong"; length: number; max: number }
  | { kind: "empty" }
  | { kind: "submitted" }
  | { kind: "notFound" };

/** Writes one section's text (replacing it); refused over 1,000 characters, with the length. */
export function saveSection(db: Db, reportId: number, section: Section, text: string): SectionResult {
  const clean = text.normalize("NFC").trim();
  const length = graphemeLength(clean);
  if (length === 0) return { kind: "empty" };
  if (length > MAX_SECTION) return { kind: "tooLong", length, max: MAX_SECTION };
  return immediate(db, (): SectionResult => {
    const r = getReport(db, reportId);
    if (!r) return { kind: "notFound" };
    if (r.submittedAt !== null) return { kind: "submitted" };
    // The column name comes from SECTIONS, never from the caller's text.
    db.prepare(`UPDATE monthly_reports SET ${section} = ? WHERE id = ?`).run(clean, reportId);
    return { kind: "saved", length };
  });
}

/** Keeps a voice note for a section by its Telegram file_id. */
export function addVoiceNote(
  db: Db,
  reportId: number,
  note: { section: Section; fileId: string; seconds: number },
): SectionResult {
  return immediate(db, (): SectionResult => {
    const r = getReport(db, reportId);
    if (!r) return { kind: "notFound" };
    if (r.submittedAt !== null) return { kind: "submitted" };
    const list = [...r.attachments, note];
    db.prepare("UPDATE monthly_reports SET attachments = ? WHERE id = ?").run(JSON.stringify(list), reportId);
    return { kind: "saved", length: 0 };
  });
}

export type SubmitResult =
  | { kind: "submitted"; late: boolean }
  | { kind: "already"; submittedAt: string }
  | { kind: "notFound" };

/** Submits the report; late when after its due instant. A second submission changes nothing. */
export function submitReport(db: Db, reportId: number, userId: number, now: Date): SubmitResult {
  return immediate(db, (): SubmitResult => {
    const r = getReport(db, reportId);
    if (!r) return { kind: "notFound" };
    if (r.submittedAt !== null) return { kind: "already", submittedAt: r.submittedAt };
    const at = now.toISOString();
    db.prepare("UPDATE monthly_reports SET submitted_at = ?, submitted_by = ? WHERE id = ?").run(
      at,
      userId,
      reportId,
    );
    // The admins' copies are decided in the same transaction as the submission.
    enqueueEach(
      db,
      admins(db),
      {
        keyPrefix: `mreport:submitted:${reportId}`,
        template: "reportCycle.submitted",
        params: { reportId },
        dueAt: now,
      },
      now,
    );
    return { kind: "submitted", late: at >= r.dueAt };
  });
}

/** Reports not yet submitted, oldest month first: what a site's staff may still write. */
export function unsubmittedReports(db: Db): { id: number; siteId: number; month: string }[] {
  return db
    .prepare(
      "SELECT id, site_id AS siteId, month FROM monthly_reports WHERE submitted_at IS NULL ORDER BY month, site_id",
    )
    .all() as { id: number; siteId: number; month: string }[];
}

export type GridStatus = "submitted" | "late" | "missing" | "open" | "none";

/** A report's standing at `now`. */
export function statusOf(
  r: Pick<MonthlyReportRow, "submittedAt" | "dueAt"> | undefined,
  now: Date,
): GridStatus {
  if (!r) return "none";
  if (r.submittedAt !== null) return r.submittedAt < r.dueAt ? "submitted" : "late";
  return now.toISOString() >= r.dueAt ? "missing" : "open";
}

/** The year's grid: each reporting site × 12 months. A month whose report never opened is "none". */
export function yearGrid(
  db: Db,
  year: number,
  now: Date,
): { siteId: number; code: string; nameZh: string; nameEn: string; months: GridStatus[] }[] {
  const rows = db
    .prepare(
      "SELECT site_id AS siteId, month, submitted_at AS submittedAt, due_at AS dueAt FROM monthly_reports WHERE month >= ? AND month <= ?",
    )
    .all(`${year}-01`, `${year}-12`) as {
    siteId: number;
    month: string;
    submittedAt: string | null;
    dueAt: string;
  }[];
  const byKey = new Map(rows.map((r) => [`${r.siteId}:${r.month}`, r]));
  return reportingSites(db).map((s) => ({
    siteId: s.id,
    code: s.code,
    nameZh: s.nameZh,
    nameEn: s.nameEn,
    months: Array.from({ length: 12 }, (_, i) =>
      statusOf(byKey.get(`${s.id}:${year}-${String(i + 1).padStart(2, "0")}`), now),
    ),
  }));
}

/**
 * Reports of `month` not submitted once the fifth working day has come and not yet reminded:
 * marked reminded now (so each site is reminded once) and returned.
 */
export function takeOverdue(db: Db, month: string, now: Date): { id: number; siteId: number }[] {
  return immediate(db, () => {
    const due = db
      .prepare(
        `SELECT id, site_id AS siteId FROM monthly_reports
         WHERE month = ? AND submitted_at IS NULL AND reminded_at IS NULL AND due_at <= ? ORDER BY site_id`,
      )
      .all(month, now.toISOString()) as { id: number; siteId: number }[];
    const mark = db.prepare("UPDATE monthly_reports SET reminded_at = ? WHERE id = ?");
    for (const r of due) mark.run(now.toISOString(), r.id);
    return due;
  });
}
