import type { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { createCourses } from "./courses.ts";
import { createEnrollmentFeature } from "./enrollment.ts";
import { createMyEnrolmentsFeature } from "./my-enrolments.ts";
import { createOwnDataFeature } from "./own-data.ts";
import { createReminders } from "./reminders.ts";
import { createVolunteersFeature } from "./volunteers.ts";
import { createShiftsFeature } from "./shifts.ts";
import { createFeedbackFeature } from "./feedback.ts";
import { createWishesFeature } from "./wishes.ts";
import { createStaff } from "./staff.ts";
import { createRoster } from "./roster.ts";
import { createAttendance } from "./attendance.ts";
import { createCourseAdmin } from "./course-admin.ts";
import { createBroadcast } from "./broadcast.ts";
import { createInlineFeature } from "./inline.ts";
import { createPublicityFeature } from "./publicity.ts";
import { createOrganisationContactFeature } from "./organisation-contact.ts";
import { createOrganisationsFeature } from "./organisations.ts";
import { createReportCycleFeature } from "./report-cycle.ts";
import { createReviewFeature } from "./review.ts";
import { createSelectionFeature } from "./selection.ts";
import { createCertificatesFeature } from "./certificates.ts";
import { createTeamsFeature } from "./teams.ts";

/**
 * The features, in the order they see an update. Each is one composer narrowed at its top by
 * chat type and role. Conversations are installed before all of them (see create-bot.ts).
 */
export function createFeatures(): Composer<BotContext>[] {
  return [
    createStaff(),
    createRoster(),
    createAttendance(),
    createCourseAdmin(),
    createBroadcast(),
    createPublicityFeature(),
    createInlineFeature(),
    createOrganisationsFeature(),
    createOrganisationContactFeature(),
    createReportCycleFeature(),
    createReviewFeature(),
    createSelectionFeature(),
    createCertificatesFeature(),
    createTeamsFeature(),
    createVolunteersFeature(),
    createShiftsFeature(),
    createFeedbackFeature(),
    createWishesFeature(),
    createEnrollmentFeature(),
    createMyEnrolmentsFeature(),
    createOwnDataFeature(),
    createCourses(),
    createReminders(),
  ];
}
