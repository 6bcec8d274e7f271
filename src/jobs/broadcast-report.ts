import { immediate } from "../db/connection.ts";
import type { JobSpec } from "./types.ts";
import { enqueueBroadcastReports } from "../staff/broadcast.ts";
import { SCHEDULES } from "./schedules.ts";

/** Every 5 minutes: tells the author of each finished broadcast how many got it. */
export const broadcastReportJob: JobSpec = {
  name: "broadcast-report",
  schedule: SCHEDULES.broadcastReport,
  run({ db }, now) {
    return { reports: immediate(db, () => enqueueBroadcastReports(db, now)) };
  },
};
