/** Moving a session: staff type the new local date and time; participants are told. Entered with the session id. */
import { InlineKeyboard } from "grammy";
import { parseLocalDateTime } from "../../catalog/schedule.ts";
import { formatDateTime } from "../../i18n/format.ts";
import { canManageCourse } from "../../staff/access.ts";
import { moveSession, sessionLine } from "../../staff/courses.ts";
import { zonedTimeToUtc } from "../../time.ts";
import type { ConvContext } from "../context.ts";
import type { LifelongConversation } from "../context.ts";
import { courseAdminRoutes } from "../../messages/staff-routes.ts";
import { waitText } from "./staff-wait.ts";

export async function courseMove(
  conversation: LifelongConversation,
  ctx: ConvContext,
  sessionId: number,
): Promise<void> {
  const userId = ctx.account?.id ?? 0;
  const tz = ctx.deps.config.timezone;
  const session = await conversation.external((c: ConvContext) => {
    const s = sessionLine(c.deps.db, sessionId);
    return s && canManageCourse(c.deps.db, userId, s.course_id)
      ? { course_id: s.course_id, starts_at: s.starts_at }
      : null;
  });
  if (!session) {
    await ctx.reply(ctx.t("staff:denied"));
    return;
  }
  await ctx.reply(ctx.t("staff:crm.moveAsk", { when: formatDateTime(session.starts_at, ctx.locale, tz) }), {
    parse_mode: "HTML",
  });
  for (;;) {
    const msg = await waitText(conversation, ctx.t("staff:crm.moveExpect"));
    const parsed = parseLocalDateTime(msg.message?.text ?? "");
    if (!parsed) {
      await msg.reply(ctx.t("staff:crm.moveExpect"), { parse_mode: "HTML" });
      continue;
    }
    const newStart = zonedTimeToUtc(parsed.date, parsed.time, tz).toISOString();
    const r = await conversation.external((c: ConvContext) => {
      if (!canManageCourse(c.deps.db, userId, session.course_id))
        return { ok: false as const, problem: "denied" };
      return moveSession(c.deps.db, userId, sessionId, new Date(newStart), c.deps.clock.now());
    });
    if (!r.ok) {
      if (r.problem === "denied") {
        await msg.reply(ctx.t("staff:denied"));
        return;
      }
      await msg.reply(ctx.t(`staff:crm.sessionProblem.${r.problem}`));
      if (r.problem === "past" || r.problem === "clash") continue;
      return;
    }
    await msg.reply(
      ctx.t("staff:crm.moved", {
        from: formatDateTime(session.starts_at, ctx.locale, tz),
        to: formatDateTime(newStart, ctx.locale, tz),
      }),
      // Back to the course's sessions, so that staff need not start again from the menu.
      {
        reply_markup: new InlineKeyboard().text(
          ctx.t("common:back"),
          courseAdminRoutes.sessions.data(session.course_id),
        ),
      },
    );
    return;
  }
}
