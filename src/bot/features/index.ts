import type { Composer, MiddlewareFn } from "grammy";
import { namespaceOf } from "../../callback-data.ts";
import type { BotContext } from "../context.ts";
import { createCore } from "./core.ts";
import { createEscapes } from "./escapes.ts";
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

/** A feature: its composer, and the words its buttons' callback data start with ("enr" in "enr:ok:…"). */
export interface Feature {
  create: () => Composer<BotContext>;
  presses: readonly string[];
}

/**
 * The features, in the order they see an update. Each is one composer narrowed at its top by
 * chat type and role. Conversations are installed before all of them (see create-bot.ts).
 * A button press passes only through the features that declare its first word (`presses`),
 * in this order; test/architecture/feature-presses.test.ts checks each list against the routes
 * the feature registers.
 */
export const FEATURES: readonly Feature[] = [
  { create: createStaff, presses: ["stf"] },
  { create: createRoster, presses: ["rst"] },
  { create: createAttendance, presses: ["att"] },
  { create: createCourseAdmin, presses: ["crm"] },
  { create: createBroadcast, presses: ["bc"] },
  { create: createPublicityFeature, presses: ["pub"] },
  { create: createInlineFeature, presses: [] },
  { create: createOrganisationsFeature, presses: ["org"] },
  { create: createOrganisationContactFeature, presses: ["mo", "wk"] },
  { create: createReportCycleFeature, presses: ["rc"] },
  { create: createReviewFeature, presses: [] },
  { create: createSelectionFeature, presses: ["sel"] },
  { create: createCertificatesFeature, presses: ["cert"] },
  { create: createTeamsFeature, presses: ["tm"] },
  { create: createVolunteersFeature, presses: ["vol"] },
  { create: createShiftsFeature, presses: ["shf", "vol"] },
  { create: createFeedbackFeature, presses: ["fb"] },
  { create: createWishesFeature, presses: ["wsh"] },
  { create: createEnrollmentFeature, presses: ["enr", "ci", "off"] },
  { create: createMyEnrolmentsFeature, presses: ["my"] },
  { create: createOwnDataFeature, presses: ["my"] },
  { create: createCourses, presses: ["crs"] },
  { create: createReminders, presses: ["rem"] },
];

/** Commands that leave a form (/start, /cancel), installed before the conversations. */
export const ESCAPES: Feature = { create: createEscapes, presses: [] };

/** /help, /menu, /privacy, /language and the language picker's buttons. */
export const CORE: Feature = { create: createCore, presses: ["lang"] };

/**
 * A feature's middleware. A button press skips it unless the press's data starts with one of the
 * feature's words: a press used to pass some 130 handler checks of other features on its way, a
 * third of the cost of a whole press (docs/PERFORMANCE.md). Every other update goes through.
 */
export function pressGated({ create, presses }: Feature): MiddlewareFn<BotContext> {
  const words = new Set(presses);
  const feature = create().middleware();
  return (ctx, next) => {
    const data = ctx.callbackQuery?.data;
    return data === undefined || words.has(namespaceOf(data)) ? feature(ctx, next) : next();
  };
}

/** The features' middleware, in order. */
export function createFeatures(): MiddlewareFn<BotContext>[] {
  return FEATURES.map(pressGated);
}
