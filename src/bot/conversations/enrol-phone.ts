import type { ConvContext } from "../context.ts";
import { stepWithPhone } from "./enrol-shared.ts";
import type { LifelongConversation } from "../context.ts";

export const ENROL_PHONE = "enrol-phone";

/**
 * The share-contact step of an enrolment, for a course that needs a contact phone; then the
 * next screen of the flow (usually the confirmation). Nothing but the phone is written here.
 */
export async function enrolPhone(
  conversation: LifelongConversation,
  ctx: ConvContext,
  courseId: number,
  ref: string,
  flags: string,
): Promise<void> {
  const screen = await stepWithPhone(conversation, ctx, { courseId, ref, flags });
  await ctx.reply(screen.text, {
    parse_mode: "HTML",
    ...(screen.keyboard ? { reply_markup: screen.keyboard } : {}),
  });
}
