/**
 * Learning teams. Residents: 👥 Learning team on an enrolment (the team, its invite link, Share,
 * Leave, or Form a team) and the invite link `/start t_<code>` (join with one tap). Staff: 👥 Teams
 * on a course's roster (the list, and Form a team from the enrolled).
 * Callback data: tm:e|f|lv:<enrolmentId>, tm:ly:<enrolmentId>:<teamId>:<personId>,
 * tm:j:<code>:<personId>, tm:cc:<courseId>, tm:s|sf:<courseId>; tm:st|sp|sd|sx inside the staff form.
 */
import { Composer, InlineKeyboard } from "grammy";
import { joinTeam, leaveTeam } from "../../selection/team-forming.ts";
import { courseTeamsForStaff, myTeam, teamInvite } from "../../selection/team-screens.ts";
import { escapeHtml } from "../../telegram-html.ts";
import { TEAM_FORM } from "../conversations/team-form.ts";
import { TEAM_STAFF_FORM } from "../conversations/team-staff-form.ts";
import type { BotContext } from "../context.ts";
import { cbFeature } from "../../callback-data.ts";
import { answer, backRow } from "../menu.ts";
import { renderCourseCard } from "../views/course-card.ts";
import { courseRoutes } from "../views/course-list.ts";
import { mineRoutes, raw, titleOf } from "../views/enrol.ts";
import { showScreen } from "../views/screen.ts";
import { inviteScreen, leaveAskScreen, myTeamScreen, staffTeamsScreen, teamRoutes } from "../views/teams.ts";
import { refuseForeign } from "./enrol-guard.ts";
import { refuse } from "./staff-guard.ts";

/** The resident's team screen for an enrolment; answers the press and says so when the enrolment is gone. */
async function loadMine(ctx: BotContext, enrolmentId: number) {
  const r = myTeam(ctx.deps.db, enrolmentId, ctx.from?.id ?? 0, ctx.deps.clock.now());
  if (r.kind === "notYours") {
    await refuseForeign(ctx, "enrolment", enrolmentId);
    return undefined;
  }
  if (r.kind === "gone") {
    await answer(ctx, ctx.t("enrol:mine.gone"), true);
    return undefined;
  }
  await answer(ctx);
  return r.my;
}

export function createTeamsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.command("start", async (ctx, next) => {
    if (!ctx.match.startsWith("t_")) return next();
    const code = ctx.match.slice(2);
    const r = teamInvite(ctx.deps.db, code, ctx.from.id, ctx.deps.clock.now());
    if (r.kind !== "ok") return void (await ctx.reply(ctx.t(`teams:invite.${r.kind}`)));
    await showScreen(ctx, inviteScreen(ctx, code, r.invite));
  });

  pm.callbackQuery(teamRoutes.mine.pattern, async (ctx) => {
    const my = await loadMine(ctx, teamRoutes.mine.read(ctx.match)[0]);
    if (my) await showScreen(ctx, myTeamScreen(ctx, my));
  });

  pm.callbackQuery(teamRoutes.form.pattern, async (ctx) => {
    await answer(ctx);
    await ctx.conversation.enter(TEAM_FORM, teamRoutes.form.read(ctx.match)[0]);
  });

  pm.callbackQuery(teamRoutes.leave.pattern, async (ctx) => {
    const my = await loadMine(ctx, teamRoutes.leave.read(ctx.match)[0]);
    if (!my) return;
    const team = my.team;
    await showScreen(ctx, team && my.open ? leaveAskScreen(ctx, { ...my, team }) : myTeamScreen(ctx, my));
  });

  pm.callbackQuery(teamRoutes.leaveYes.pattern, async (ctx) => {
    const [enrolmentId, teamId, personId] = teamRoutes.leaveYes.read(ctx.match);
    const r = leaveTeam(ctx.deps.db, teamId, personId, ctx.from.id);
    const back = backRow(ctx, teamRoutes.mine.data(enrolmentId));
    if (r.kind === "notMember") {
      await answer(ctx, ctx.t("teams:mine.notMember"), true);
      return showScreen(ctx, { text: ctx.t("teams:mine.notMember"), keyboard: back });
    }
    await answer(ctx);
    const text = ctx.t(r.disbanded ? "teams:mine.leftLast" : "teams:mine.left", {
      name: escapeHtml(r.personName),
      team: escapeHtml(r.team.name),
      ...raw,
    });
    await showScreen(ctx, { text, keyboard: back });
  });

  pm.callbackQuery(teamRoutes.join.pattern, async (ctx) => {
    const [code, personId] = teamRoutes.join.read(ctx.match);
    const r = joinTeam(ctx.deps.db, code, personId, ctx.from.id, ctx.deps.clock.now());
    if (r.kind === "notYours") return refuseForeign(ctx, "person", String(personId));
    await answer(ctx);
    if (r.kind === "unknown" || r.kind === "closed")
      return showScreen(ctx, { text: ctx.t(`teams:invite.${r.kind}`) });
    if (r.kind === "notEnrolled") {
      const kb = new InlineKeyboard().text(
        ctx.t("teams:invite.openCourse"),
        teamRoutes.courseCard.data(r.courseId),
      );
      return showScreen(ctx, {
        text: ctx.t("teams:invite.notEnrolled", { title: escapeHtml(titleOf(ctx, r)), ...raw }),
        keyboard: kb,
      });
    }
    const values = {
      name: escapeHtml(r.personName),
      team: escapeHtml(r.team.name),
      count: r.team.members,
      ...raw,
    };
    // Every outcome leads on to My enrolments, where the team lives from now on.
    const keyboard = new InlineKeyboard().text(ctx.t("teams:invite.mine"), mineRoutes.list.data());
    const key =
      r.kind === "joined"
        ? "teams:joined"
        : r.kind === "alreadyMember"
          ? "teams:alreadyMember"
          : "teams:inTeam";
    await showScreen(ctx, { text: ctx.t(key, values), keyboard });
  });

  pm.callbackQuery(teamRoutes.courseCard.pattern, async (ctx) => {
    const card = renderCourseCard(ctx, teamRoutes.courseCard.read(ctx.match)[0], courseRoutes.menu.data());
    if (!card) return answer(ctx, ctx.t("courses:notFound"), true);
    await answer(ctx);
    await showScreen(ctx, { text: card.text, keyboard: card.reply_markup });
  });

  pm.callbackQuery(teamRoutes.staff.pattern, async (ctx) => {
    const s = courseTeamsForStaff(ctx.deps.db, teamRoutes.staff.read(ctx.match)[0], ctx.from.id);
    if (!s) return refuse(ctx);
    await answer(ctx);
    await showScreen(ctx, staffTeamsScreen(ctx, s));
  });

  pm.callbackQuery(teamRoutes.staffForm.pattern, async (ctx) => {
    const [courseId] = teamRoutes.staffForm.read(ctx.match);
    const s = courseTeamsForStaff(ctx.deps.db, courseId, ctx.from.id);
    if (!s) return refuse(ctx);
    if (!s.canForm) return refuse(ctx, "teams:staff.notAllowed");
    await answer(ctx);
    await ctx.conversation.enter(TEAM_STAFF_FORM, courseId);
  });

  // Anything else under our prefix: an old message (a form that has ended) or made up.
  composer.callbackQuery(cbFeature("tm").pattern, (ctx) => answer(ctx, ctx.t("common:stale"), true));

  return composer;
}
