import { DAY } from "../clock.ts";
import { SCHEDULES } from "./schedules.ts";
import type { JobSpec } from "./types.ts";

/** Telegram keeps an update at most 24 h, so ids handled two days ago can never come back. */
export const PROCESSED_UPDATES_KEEP_MS = 2 * DAY;

/** Daily: forgets inbox updates handled more than two days ago. */
export const housekeepingJob: JobSpec = {
  name: "housekeeping",
  schedule: SCHEDULES.housekeeping,
  run(deps, now) {
    const before = new Date(now.getTime() - PROCESSED_UPDATES_KEEP_MS).toISOString();
    const pruned = deps.db.prepare("DELETE FROM inbox WHERE handled_at < ?").run(before).changes;
    return { prunedUpdates: pruned };
  },
};
