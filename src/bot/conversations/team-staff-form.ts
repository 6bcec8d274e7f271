/**
 * Staff form a learning team from a course's roster: toggle enrolled participants (a page at a
 * time), press Done, type the name.
 */
import { formTeamAsStaff } from "../../selection/team-forming.ts";
import { courseTeamsForStaff } from "../../selection/team-screens.ts";
import { MIN_STAFF_TEAM } from "../../selection/teams.ts";
import { escapeHtml } from "../../telegram-html.ts";
import type { ConvContext, LifelongConversation } from "../context.ts";
import { answer } from "../menu.ts";
import { raw } from "../views/enrol.ts";
import { showScreen } from "../views/screen.ts";
import { askNameText, PICK_PAGE, pickScreen, staffTeamsScreen } from "../views/teams.ts";
import { formRefusal } from "./team-form.ts";
import { waitAnswer } from "./volunteer-wait.ts";

export const TEAM_STAFF_FORM = "team-staff-form";

export async function teamStaffForm(
  conversation: LifelongConversation,
  ctx: ConvContext,
  courseId: number,
): Promise<void> {
  const userId = ctx.from?.id ?? 0;
  const start = await conversation.external((c: ConvContext) =>
    courseTeamsForStaff(c.deps.db, courseId, userId),
  );
  if (!start?.canForm) {
    await ctx.reply(ctx.t("teams:staff.notAllowed"));
    return;
  }
  if (start.free.length < MIN_STAFF_TEAM) {
    await ctx.reply(ctx.t("teams:staff.nobody", { min: MIN_STAFF_TEAM }));
    return;
  }
  const free = start.free;
  const chosen = new Set<number>();
  let page = 0;
  const first = pickScreen(ctx, free, chosen, page);
  await ctx.reply(first.text, {
    parse_mode: "HTML",
    ...(first.keyboard ? { reply_markup: first.keyboard } : {}),
  });
  for (;;) {
    const c = await waitAnswer(conversation, {
      prefixes: ["tm:st:", "tm:sp:", "tm:sd", "tm:sx"],
      hint: first.text,
    });
    const [, action, arg] = (c.callbackQuery?.data ?? "").split(":");
    if (action === "sx") {
      await answer(c);
      await showScreen(c, { text: ctx.t("teams:staff.cancelled") });
      return;
    }
    if (action === "sd") {
      if (chosen.size < MIN_STAFF_TEAM) {
        await answer(c, ctx.t("teams:staff.tooFew", { min: MIN_STAFF_TEAM }), true);
        continue;
      }
      await answer(c);
      await c.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
      break;
    }
    const n = Number(arg);
    if (action === "st" && free.some((p) => p.personId === n)) {
      if (chosen.has(n)) chosen.delete(n);
      else chosen.add(n);
    } else if (action === "sp" && Number.isInteger(n) && n >= 0 && n * PICK_PAGE < free.length) page = n;
    await answer(c);
    await showScreen(c, pickScreen(ctx, free, chosen, page));
  }
  const prompt = askNameText(ctx);
  await ctx.reply(prompt);
  for (;;) {
    const c = await waitAnswer(conversation, { text: true, hint: prompt });
    const name = c.message?.text ?? "";
    const personIds = [...chosen];
    const r = await conversation.external((x: ConvContext) =>
      formTeamAsStaff(x.deps.db, { courseId, personIds, name }, userId, x.deps.clock.now()),
    );
    const refused = formRefusal(ctx, r);
    if (refused) {
      await ctx.reply(refused.text, { parse_mode: "HTML" });
      if (refused.again) continue;
      return;
    }
    if (r.kind === "formed")
      await ctx.reply(
        ctx.t("teams:staff.formed", { team: escapeHtml(r.team.name), count: r.team.members, ...raw }),
        { parse_mode: "HTML" },
      );
    break;
  }
  const after = await conversation.external((c: ConvContext) =>
    courseTeamsForStaff(c.deps.db, courseId, userId),
  );
  if (after) {
    const screen = staffTeamsScreen(ctx, after);
    await ctx.reply(screen.text, {
      parse_mode: "HTML",
      ...(screen.keyboard ? { reply_markup: screen.keyboard } : {}),
    });
  }
}
