import type { ConvContext, LifelongConversation } from "../context.ts";
import { broadcastCompose } from "./broadcast-compose.ts";
import { courseAdd } from "./course-add.ts";
import { courseMove } from "./course-move.ts";
import { volunteerSignup } from "./volunteer-signup.ts";
import { shiftCreate } from "./shift-create.ts";
import { feedbackComment } from "./feedback-comment.ts";
import { feedbackNote } from "./feedback-note.ts";
import { feedbackWish } from "./feedback-wish.ts";
import { ENROL_MEMBER, enrolMember } from "./enrol-member.ts";
import { ENROL_PHONE, enrolPhone } from "./enrol-phone.ts";
import { ORG_EMPLOYEES, orgEmployees } from "./org-employees.ts";
import { ORG_MEMBER_ADD, orgMemberAdd } from "./org-member-add.ts";
import { ORG_REGISTER, orgRegister } from "./org-register.ts";
import { REPORT_SECTION, reportSection } from "./report-section.ts";
import { TEAM_FORM, teamForm } from "./team-form.ts";
import { TEAM_STAFF_FORM, teamStaffForm } from "./team-staff-form.ts";

/** A conversation: its id (used with ctx.conversation.enter) and its builder. */
export interface ConversationSpec {
  id: string;
  builder: (conversation: LifelongConversation, ctx: ConvContext, ...args: never[]) => Promise<unknown>;
}

/** Every conversation of the bot. One file per conversation beside this one. */
export const CONVERSATIONS: ConversationSpec[] = [
  { id: "broadcast-compose", builder: broadcastCompose },
  { id: "course-add", builder: courseAdd },
  { id: "course-move", builder: courseMove },
  { id: "volunteer-signup", builder: volunteerSignup },
  { id: "shift-create", builder: shiftCreate },
  { id: "feedback-comment", builder: feedbackComment },
  { id: "feedback-note", builder: feedbackNote },
  { id: "feedback-wish", builder: feedbackWish },
  { id: ENROL_MEMBER, builder: enrolMember },
  { id: ENROL_PHONE, builder: enrolPhone },
  { id: ORG_REGISTER, builder: orgRegister },
  { id: ORG_EMPLOYEES, builder: orgEmployees },
  { id: ORG_MEMBER_ADD, builder: orgMemberAdd },
  { id: REPORT_SECTION, builder: reportSection },
  { id: TEAM_FORM, builder: teamForm },
  { id: TEAM_STAFF_FORM, builder: teamStaffForm },
];
