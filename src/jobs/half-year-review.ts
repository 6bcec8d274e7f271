import { SCHEDULES } from "./schedules.ts";
import type { JobSpec } from "./types.ts";
import { enqueueEach } from "../notify/outbox.ts";
import { admins } from "../people/recipients.ts";
import { halfJustEnded } from "../review/figures.ts";
import { zonedTimeToUtc } from "../time.ts";

/** A review not sent within this long after its half ended is left to `/review`. */
const STALE_AFTER_MS = 14 * 24 * 3600 * 1000;

/**
 * On 1 January and 1 July, each admin gets the review of the half year just ended, for the
 * leading group's meeting. Due when the half's end lies between the last run and now (a start
 * after downtime catches it up); the outbox key makes it once per admin and half.
 */
export const halfYearReviewJob: JobSpec = {
  name: "half-year-review",
  schedule: SCHEDULES.halfYearReview,
  catchUpAtStart: true,
  run({ db, config }, now, since) {
    const half = halfJustEnded(now, config.timezone);
    const endedAt =
      half.half === 1
        ? zonedTimeToUtc(`${half.year}-07-01`, "00:00", config.timezone)
        : zonedTimeToUtc(`${half.year + 1}-01-01`, "00:00", config.timezone);
    const label = `${half.year}H${half.half}`;
    if ((since !== null && since >= endedAt) || now.getTime() - endedAt.getTime() > STALE_AFTER_MS)
      return { half: label, sent: 0 };
    const sent = enqueueEach(
      db,
      admins(db),
      {
        keyPrefix: `review:${label}`,
        template: "review.halfYear",
        params: { year: half.year, half: half.half },
        dueAt: now,
      },
      now,
    );
    return { half: label, sent };
  },
};
