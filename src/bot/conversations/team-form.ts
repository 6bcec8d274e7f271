/** A resident forms a learning team on one of their enrolments: the name, then the team and its link. */
import type { FormResult } from "../../selection/team-forming.ts";
import { formTeamAsResident } from "../../selection/team-forming.ts";
import { myTeam } from "../../selection/team-screens.ts";
import { escapeHtml } from "../../telegram-html.ts";
import type { ConvContext, LifelongConversation } from "../context.ts";
import { raw } from "../views/enrol.ts";
import { showScreen } from "../views/screen.ts";
import { askNameText, myTeamScreen } from "../views/teams.ts";
import { waitAnswer } from "./volunteer-wait.ts";

export const TEAM_FORM = "team-form";

/** The reply to a refused name or person; undefined when the team was formed. */
export function formRefusal(ctx: ConvContext, r: FormResult): { text: string; again: boolean } | undefined {
  const t = (key: string, values: Record<string, unknown> = {}) => ctx.t(key, { ...values, ...raw });
  switch (r.kind) {
    case "formed":
      return undefined;
    case "empty":
      return { text: t("teams:ask.empty"), again: true };
    case "tooLong":
      return { text: t("teams:ask.tooLong", { max: r.max }), again: true };
    case "duplicate":
      return { text: t("teams:ask.duplicate", { existing: escapeHtml(r.existing.name) }), again: true };
    case "inTeam":
      return {
        text: t("teams:inTeam", { name: escapeHtml(r.name), team: escapeHtml(r.team.name) }),
        again: false,
      };
    case "notEnrolled":
      return { text: t("teams:notEnrolledPerson", { name: escapeHtml(r.name) }), again: false };
    case "courseOver":
      return { text: t("teams:courseOver"), again: false };
    case "tooFew":
      return { text: t("teams:staff.tooFew", { min: r.min }), again: false };
    case "notAllowed":
      return { text: t("teams:staff.notAllowed"), again: false };
    case "noCourse":
      return { text: t("enrol:noCourse"), again: false };
  }
}

export async function teamForm(
  conversation: LifelongConversation,
  ctx: ConvContext,
  enrolmentId: number,
): Promise<void> {
  const accountId = ctx.from?.id ?? 0;
  const start = await conversation.external((c: ConvContext) =>
    myTeam(c.deps.db, enrolmentId, accountId, c.deps.clock.now()),
  );
  if (start.kind !== "ok") {
    await ctx.reply(ctx.t("enrol:mine.gone"));
    return;
  }
  if (start.my.team || !start.my.open) {
    await showScreen(ctx, myTeamScreen(ctx, start.my));
    return;
  }
  const { courseId, personId } = start.my;
  const prompt = askNameText(ctx);
  await ctx.reply(prompt);
  for (;;) {
    const c = await waitAnswer(conversation, { text: true, hint: prompt });
    const name = c.message?.text ?? "";
    const r = await conversation.external((x: ConvContext) =>
      formTeamAsResident(x.deps.db, { courseId, personId, name }, accountId, x.deps.clock.now()),
    );
    const refused = formRefusal(ctx, r);
    if (refused) {
      await ctx.reply(refused.text, { parse_mode: "HTML" });
      if (refused.again) continue;
    } else if (r.kind === "formed") {
      await ctx.reply(ctx.t("teams:formed", { team: escapeHtml(r.team.name), ...raw }), {
        parse_mode: "HTML",
      });
    }
    break;
  }
  const now = await conversation.external((c: ConvContext) =>
    myTeam(c.deps.db, enrolmentId, accountId, c.deps.clock.now()),
  );
  if (now.kind === "ok") {
    const screen = myTeamScreen(ctx, now.my);
    await ctx.reply(screen.text, {
      parse_mode: "HTML",
      ...(screen.keyboard ? { reply_markup: screen.keyboard } : {}),
    });
  }
}
