import { enqueueCompletionNotices } from "../certificates/notices.ts";
import { SCHEDULES } from "./schedules.ts";
import type { JobSpec } from "./types.ts";

/**
 * Every evening, each participant who completed a course that ended in the last fortnight is
 * told once that their certificate is ready. The look-back, not `since`, bounds the search, so
 * a run missed while the bot was down is made up by the next one.
 */
export const certificateNoticesJob: JobSpec = {
  name: "certificate-notices",
  schedule: SCHEDULES.certificateNotices,
  run({ db }, now) {
    return { notices: enqueueCompletionNotices(db, now) };
  },
};
