import type { JobSpec } from "./types.ts";
import { enqueueFeedbackRequests } from "../feedback/feedback.ts";
import { SCHEDULES } from "./schedules.ts";

/** After a course's last session, each participant is asked once to rate it. */
export const feedbackRequestsJob: JobSpec = {
  name: "feedback-requests",
  schedule: SCHEDULES.feedbackRequests,
  run({ db }, now, since) {
    return { requests: enqueueFeedbackRequests(db, since, now) };
  },
};
