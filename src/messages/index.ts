import { staffTemplates } from "./staff.ts";
import { VOLUNTEER_TEMPLATES } from "./volunteers.ts";
import { FEEDBACK_TEMPLATES } from "./feedback.ts";
import { NOTIFY_TEMPLATES } from "./reminders.ts";
import { ENROLLMENT_TEMPLATES } from "./enrollment.ts";
import { PUBLICITY_TEMPLATES } from "./publicity.ts";
import { REPORT_CYCLE_TEMPLATES } from "./report-cycle.ts";
import { REVIEW_TEMPLATES } from "./review.ts";
import { CERTIFICATE_TEMPLATES } from "./certificates.ts";
import { SELECTION_TEMPLATES } from "./selection.ts";
import { TEAM_TEMPLATES } from "./teams.ts";
import type { Template } from "../notify/template.ts";

/**
 * Every template the outbox may name, by key. A feature adds its own file beside this one and
 * spreads its record in here; keys are `<feature>.<name>`.
 */
export const TEMPLATES: Record<string, Template> = {
  ...staffTemplates,
  ...VOLUNTEER_TEMPLATES,
  ...FEEDBACK_TEMPLATES,
  ...NOTIFY_TEMPLATES,
  ...ENROLLMENT_TEMPLATES,
  ...PUBLICITY_TEMPLATES,
  ...REPORT_CYCLE_TEMPLATES,
  ...REVIEW_TEMPLATES,
  ...CERTIFICATE_TEMPLATES,
  ...SELECTION_TEMPLATES,
  ...TEAM_TEMPLATES,
};
