/**
 * When each job wakes, as node-cron expressions read in the school's time zone. Cron only
 * wakes a job; what is due is asked of the database, so a missed tick loses nothing.
 */
export const SCHEDULES = {
  reminders: "* * * * *",
  offerExpiry: "* * * * *",
  /** Feedback requests after a course's last session. */
  feedbackRequests: "*/15 * * * *",
  /** 19:00 daily: certificates of completion for courses that ended lately. */
  certificateNotices: "0 19 * * *",
  shiftReminders: "*/5 * * * *",
  shiftPings: "*/10 * * * *",
  broadcastReport: "*/5 * * * *",
  /** Monday 08:00 local time. */
  weeklyDigest: "0 8 * * 1",
  /** Every morning: the monthly report cycle decides from the working-day calendar. */
  monthlyReports: "30 8 * * *",
  /** 1 January and 1 July, 09:00: the half-year review. */
  halfYearReview: "0 9 1 1,7 *",
  backup: "30 3 * * *",
  housekeeping: "15 4 * * *",
} as const;
