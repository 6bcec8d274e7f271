import { feedbackRequestsJob } from "./feedback-requests.ts";
import { shiftPingsJob, shiftRemindersJob } from "./shifts.ts";
import { backupJob } from "./backup.ts";
import { housekeepingJob } from "./housekeeping.ts";
import { offerExpiryJob } from "./offer-expiry.ts";
import { remindersJob } from "./reminders.ts";
import { digestJob } from "./digest.ts";
import { broadcastReportJob } from "./broadcast-report.ts";
import { channelFeedJob } from "./channel-feed.ts";
import { monthlyReportsJob } from "./monthly-reports.ts";
import { halfYearReviewJob } from "./half-year-review.ts";
import { certificateNoticesJob } from "./certificate-notices.ts";
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
  channelFeedJob,
  monthlyReportsJob,
  halfYearReviewJob,
  certificateNoticesJob,
];
