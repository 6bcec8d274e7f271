import { immediate } from "../db/connection.ts";
import type { JobSpec } from "./types.ts";
import { enqueueEach } from "../notify/outbox.ts";
import { staffRecipients } from "../people/recipients.ts";
import { localDate, startOfLocalWeek, zonedTimeToUtc } from "../time.ts";
import { reportedWeekStart } from "../reports/digest.ts";
import { SCHEDULES } from "./schedules.ts";

/** Monday 08:00 in the school's time zone: when a week's digest falls due. */
export const DIGEST_HOUR = "08:00";

/** The instant the digest of the week before `now`'s week fell due (this week's Monday 08:00). */
export function digestDueAt(now: Date, timezone: string): Date {
  const monday = localDate(startOfLocalWeek(now, timezone), timezone);
  return zonedTimeToUtc(monday, DIGEST_HOUR, timezone);
}

/**
 * Monday 08:00 (school time): one digest per staff member and admin for the week just ended.
 * The key names the week, so a second run (catch-up, a double tick) queues nothing new; the
 * figures are computed when the message is sent (template staff.digest).
 */
export const digestJob: JobSpec = {
  name: "digest",
  schedule: SCHEDULES.weeklyDigest,
  catchUpAtStart: true,
  run({ db, config }, now) {
    const week = reportedWeekStart(now, config.timezone);
    // At start-up on a Monday before 08:00, last week's digest is not due yet.
    if (now < digestDueAt(now, config.timezone)) return { week, queued: 0 };
    const queued = immediate(db, () => {
      const n = enqueueEach(
        db,
        staffRecipients(db),
        { keyPrefix: `digest:${week}`, template: "staff.digest", params: { week }, dueAt: now },
        now,
      );
      return n;
    });
    return { week, queued };
  },
};
