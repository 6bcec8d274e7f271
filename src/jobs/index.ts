import { feedbackRequestsJob } from "../feedback/jobs.ts";
import { shiftPingsJob, shiftRemindersJob } from "../volunteers/jobs.ts";
import { backupJob } from "./backup.ts";
import { housekeepingJob } from "./housekeeping.ts";
import { offerExpiryJob } from "./offer-expiry.ts";
import { remindersJob } from "./reminders.ts";
import { digestJob } from "../reports/digest-job.ts";
import { broadcastReportJob } from "../staff/broadcast-job.ts";
import { monthlyReportsJob } from "../report-cycle/job.ts";
import type { JobSpec } from "./types.ts";

/** Every scheduled job, by name. A feature adds its JobSpec here (one line). */
export const JOBS: JobSpec[] = [
  remindersJob,
  offerExpiryJob,
  backupJob,
  housekeepingJob,
  shiftPingsJob,
  shiftRemindersJob,
  feedbackRequestsJob,
  digestJob,
  broadcastReportJob,
  monthlyReportsJob,
];
