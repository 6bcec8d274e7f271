import { immediate } from "../db/connection.ts";
import type { JobSpec } from "../jobs/types.ts";
import { enqueue } from "../notify/outbox.ts";
import { staffRecipients } from "../staff/access.ts";
import { reportedWeekStart } from "./digest.ts";

/**
 * Monday 08:00 (school time): one digest per staff member and admin for the week just ended.
 * The key names the week, so a second run (catch-up, a double tick) queues nothing new; the
 * figures are computed when the message is sent (template staff.digest).
 */
export const digestJob: JobSpec = {
  name: "digest",
  schedule: "0 8 * * 1",
  run({ db, config }, now) {
    const week = reportedWeekStart(now, config.timezone);
    const queued = immediate(db, () => {
      let n = 0;
      for (const userId of staffRecipients(db)) {
        if (
          enqueue(
            db,
            {
              key: `digest:${week}:${userId}`,
              chatId: userId,
              template: "staff.digest",
              params: { week },
              dueAt: now,
            },
            now,
          )
        )
          n++;
      }
      return n;
    });
    return { week, queued };
  },
};
