import { dirname, join } from "node:path";
import type { Config } from "../config.ts";
import { SCHEDULES } from "./schedules.ts";
import type { JobSpec } from "./types.ts";
import { enqueueEach } from "../notify/outbox.ts";
import { admins, siteStaff } from "../people/recipients.ts";
import { openDrafts, takeOverdue } from "../report-cycle/cycle.ts";
import { loadWorkdays } from "../report-cycle/workdays.ts";

/** data/workdays.yaml lives beside targets.yaml. */
export const workdaysPath = (config: Pick<Config, "targetsPath">): string =>
  join(dirname(config.targetsPath), "workdays.yaml");

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
    // Each report's school staff are told once: of a new draft, or that it is overdue.
    const tellStaff = (reports: { id: number; siteId: number }[], kind: "draft" | "remind") =>
      reports.reduce(
        (sent, r) =>
          sent +
          enqueueEach(
            db,
            siteStaff(db, r.siteId),
            {
              keyPrefix: `mreport:${kind}:${r.id}`,
              template: `reportCycle.${kind}`,
              params: { reportId: r.id },
              dueAt: now,
            },
            now,
          ),
        0,
      );
    const { month, opened } = openDrafts(db, cal, now, config.timezone);
    const drafts = tellStaff(opened, "draft");
    const overdue = takeOverdue(db, month, now);
    const reminders = tellStaff(overdue, "remind");
    if (overdue.length > 0)
      enqueueEach(
        db,
        admins(db),
        {
          keyPrefix: `mreport:missing:${month}`,
          template: "reportCycle.missing",
          params: { month, reportIds: overdue.map((r) => r.id) },
          dueAt: now,
        },
        now,
      );
    return { month, opened: opened.length, drafts, overdue: overdue.length, reminders };
  },
};
