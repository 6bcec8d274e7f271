import { audit } from "../../db/audit.ts";
import type { BotContext } from "../context.ts";
import { answer } from "../menu.ts";

/**
 * A button naming someone else's enrolment or family member: either a very old message after
 * a /forget, or a forged callback. Refused, logged, and kept in the audit log.
 */
export async function refuseForeign(ctx: BotContext, what: string, id: string | number): Promise<void> {
  const userId = ctx.from?.id ?? null;
  ctx.log.warn(
    { user_id: userId, what, id, data: ctx.callbackQuery?.data },
    "refused a callback for someone else's data",
  );
  audit(ctx.deps.db, ctx.deps.clock.now(), userId, "refused_foreign_callback", `${what}:${id}`, {
    data: ctx.callbackQuery?.data ?? null,
  });
  await answer(ctx, ctx.t("enrol:notYours"), true);
}
