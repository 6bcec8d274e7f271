import { dirname, join } from "node:path";
import type { Config } from "../config.ts";
import type { Db } from "../db/connection.ts";
import { SCHEDULES } from "./schedules.ts";
import type { JobSpec } from "./types.ts";
import { enqueue } from "../notify/outbox.ts";
import { openDrafts, takeOverdue } from "../report-cycle/cycle.ts";
import { loadWorkdays } from "../report-cycle/workdays.ts";

/** data/workdays.yaml lives beside targets.yaml. */
export const workdaysPath = (config: Pick<Config, "targetsPath">): string =>
  join(dirname(config.targetsPath), "workdays.yaml");

/** The staff of a site; staff of every site when the site has none of its own. */
export function siteStaff(db: Db, siteId: number): number[] {
  const own = db
    .prepare("SELECT DISTINCT user_id FROM roles WHERE role = 'staff' AND site_id = ? ORDER BY user_id")
    .pluck()
    .all(siteId) as number[];
  if (own.length > 0) return own;
  return db
    .prepare("SELECT DISTINCT user_id FROM roles WHERE role = 'staff' AND site_id IS NULL ORDER BY user_id")
    .pluck()
    .all() as number[];
}

/** The district's admins. */
export function admins(db: Db): number[] {
  return db
    .prepare("SELECT DISTINCT user_id FROM roles WHERE role = 'admin' ORDER BY user_id")
    .pluck()
    .all() as number[];
}

/**
 * Every morning (and at start-up): on the first working day of a month, each school's staff get
 * the draft of the month just ended; from the fifth working day, the staff of schools that have
 * not submitted are reminded once and the admins get the list. The database says what was done:
 * drafts exist once per (site, month), reminders are marked, outbox keys are unique.
 */
export const monthlyReportsJob: JobSpec = {
  name: "monthly-reports",
  schedule: SCHEDULES.monthlyReports,
  catchUpAtStart: true,
  run({ db, config }, now) {
    const cal = loadWorkdays(workdaysPath(config));
    const { month, opened } = openDrafts(db, cal, now, config.timezone);
    let drafts = 0;
    for (const r of opened)
      for (const userId of siteStaff(db, r.siteId))
        if (
          enqueue(
            db,
            {
              key: `mreport:draft:${r.id}:${userId}`,
              chatId: userId,
              template: "reportCycle.draft",
              params: { reportId: r.id },
              dueAt: now,
            },
            now,
          )
        )
          drafts++;
    const overdue = takeOverdue(db, month, now);
    let reminders = 0;
    for (const r of overdue)
      for (const userId of siteStaff(db, r.siteId))
        if (
          enqueue(
            db,
            {
              key: `mreport:remind:${r.id}:${userId}`,
              chatId: userId,
              template: "reportCycle.remind",
              params: { reportId: r.id },
              dueAt: now,
            },
            now,
          )
        )
          reminders++;
    if (overdue.length > 0)
      for (const userId of admins(db))
        enqueue(
          db,
          {
            key: `mreport:missing:${month}:${userId}`,
            chatId: userId,
            template: "reportCycle.missing",
            params: { month, reportIds: overdue.map((r) => r.id) },
            dueAt: now,
          },
          now,
        );
    return { month, opened: opened.length, drafts, overdue: overdue.length, reminders };
  },
};
