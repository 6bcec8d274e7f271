/**
 * Screens of learning teams: a resident's team on an enrolment, an invite link, a course's teams
 * for staff. User text is escaped here with escapeHtml and handed to i18next unescaped (raw), so
 * it is escaped exactly once.
 */
import { InlineKeyboard } from "grammy";
import { deepLink } from "../../publicity/links.ts";
import type { Invite, MyTeam, StaffTeams } from "../../selection/team-screens.ts";
import { MAX_TEAM_NAME, MIN_STAFF_TEAM } from "../../selection/teams.ts";
import { escapeHtml } from "../../telegram-html.ts";
import type { ConvContext } from "../context.ts";
import { cbRoute, field } from "../../callback-data.ts";
import { backRow, cb, pagerButtons } from "../menu.ts";
import { buttonMax } from "../labels.ts";
import { cutText } from "../../text.ts";
import type { Screen } from "./screen.ts";
import { mineRoutes, raw, titleOf } from "./enrol.ts";
import { rosterRoutes } from "./roster.ts";

/**
 * Callback data of learning teams: by enrolment for residents, by course for staff. The staff
 * form's own buttons (tm:st|sp|sd|sx) are read inside its conversation.
 */
export const teamRoutes = {
  mine: cbRoute("tm:e", field.id),
  form: cbRoute("tm:f", field.id),
  leave: cbRoute("tm:lv", field.id),
  /** Enrolment, team, person. */
  leaveYes: cbRoute("tm:ly", field.id, field.id, field.id),
  /** Invite code, person joining. */
  join: cbRoute("tm:j", field.word, field.id),
  courseCard: cbRoute("tm:cc", field.id),
  staff: cbRoute("tm:s", field.id),
  staffForm: cbRoute("tm:sf", field.id),
  /** A page of the staff form's people, read inside its conversation. */
  staffFormPage: cbRoute("tm:sp", field.id),
};

/** The t.me link that opens a team's invite. */
export const teamLink = (ctx: ConvContext, code: string): string => deepLink(ctx.me.username, `t_${code}`);

/** Telegram's "share to a chat" page for the link, with a line of text. */
function shareUrl(link: string, text: string): string {
  return `https://t.me/share/url?url=${encodeURIComponent(link)}&text=${encodeURIComponent(text)}`;
}

/** 👥 Learning team, from one of "My enrolments": the team and its link, or the offer to form one. */
export function myTeamScreen(ctx: ConvContext, my: MyTeam): Screen {
  const title = escapeHtml(titleOf(ctx, my));
  const name = escapeHtml(my.personName);
  const lines = [ctx.t("teams:mine.title", { title, name, ...raw }), ""];
  const kb = new InlineKeyboard();
  const team = my.team;
  if (team) {
    lines.push(
      ctx.t("teams:mine.inTeam", { name, team: escapeHtml(team.name), count: team.members, ...raw }),
    );
    if (team.inviteCode && my.open) {
      const link = teamLink(ctx, team.inviteCode);
      lines.push("", ctx.t("teams:mine.link", { link, ...raw }));
      const text = ctx.t("teams:mine.shareText", { team: team.name, title: titleOf(ctx, my), ...raw });
      kb.url(ctx.t("teams:mine.share"), shareUrl(link, text)).row();
    } else if (!team.inviteCode) lines.push("", ctx.t("teams:mine.staffTeam"));
    if (my.open) kb.text(ctx.t("teams:mine.leave"), teamRoutes.leave.data(my.enrolmentId)).row();
    else lines.push("", ctx.t("teams:mine.closed"));
  } else {
    lines.push(ctx.t("teams:mine.none", { name, ...raw }));
    if (my.open) kb.text(ctx.t("teams:mine.form"), teamRoutes.form.data(my.enrolmentId)).row();
    else lines.push("", ctx.t("teams:mine.closed"));
  }
  backRow(ctx, mineRoutes.enrolment.data(my.enrolmentId), kb);
  return { text: lines.join("\n"), keyboard: kb };
}

/** Asks whether the person really leaves; the answer carries the team, so an old message cannot act on a new team. */
export function leaveAskScreen(ctx: ConvContext, my: MyTeam & { team: NonNullable<MyTeam["team"]> }): Screen {
  const kb = new InlineKeyboard()
    .text(ctx.t("teams:mine.yesLeave"), teamRoutes.leaveYes.data(my.enrolmentId, my.team.id, my.personId))
    .row()
    .text(ctx.t("teams:mine.keep"), teamRoutes.mine.data(my.enrolmentId));
  const text = ctx.t("teams:mine.askLeave", {
    name: escapeHtml(my.personName),
    team: escapeHtml(my.team.name),
    ...raw,
  });
  return { text, keyboard: kb };
}

/** The prompt for a team's name. */
export const askNameText = (ctx: ConvContext): string => ctx.t("teams:ask.name", { max: MAX_TEAM_NAME });

/** What an invite link shows: the team and course, and who of the family may join with one tap. */
export function inviteScreen(ctx: ConvContext, code: string, invite: Invite): Screen {
  const title = escapeHtml(titleOf(ctx, invite));
  const lines = [
    ctx.t("teams:invite.title", {
      team: escapeHtml(invite.team.name),
      title,
      count: invite.team.members,
      ...raw,
    }),
  ];
  const kb = new InlineKeyboard();
  if (invite.already.length > 0)
    lines.push(
      "",
      ctx.t("teams:invite.already", {
        names: invite.already.map((p) => escapeHtml(p.name)).join(ctx.t("common:listSep")),
        ...raw,
      }),
    );
  if (invite.enrolled === 0) {
    lines.push("", ctx.t("teams:invite.notEnrolled", { title, ...raw }));
    kb.text(ctx.t("teams:invite.openCourse"), teamRoutes.courseCard.data(invite.team.courseId));
  } else if (invite.joinable.length === 1 && invite.already.length === 0) {
    kb.text(ctx.t("teams:invite.join"), teamRoutes.join.data(code, invite.joinable[0]!.personId));
  } else if (invite.joinable.length > 0) {
    lines.push("", ctx.t("teams:invite.pick"));
    for (const p of invite.joinable)
      kb.text(
        cutText(ctx.t("teams:invite.joinAs", { name: p.name, ...raw }), buttonMax(ctx.locale)),
        teamRoutes.join.data(code, p.personId),
      ).row();
  } else if (invite.already.length === 0) {
    lines.push("", ctx.t("teams:invite.otherTeam"));
  }
  // Nobody here can join: the way on is the family's enrolments, where each team is shown.
  if (invite.enrolled > 0 && invite.joinable.length === 0) kb.text(ctx.t("teams:invite.mine"), cb("my", "l"));
  return { text: lines.join("\n"), keyboard: kb };
}

/** A course's teams for its staff, with the button to form one. */
export function staffTeamsScreen(ctx: ConvContext, s: StaffTeams): Screen {
  const courseId = s.courseId;
  const lines = [ctx.t("teams:staff.title", { title: escapeHtml(titleOf(ctx, s)), ...raw }), ""];
  if (s.teams.length === 0) lines.push(ctx.t("teams:staff.none"));
  for (const [i, t] of s.teams.entries())
    lines.push(
      ctx.t("teams:staff.line", {
        n: i + 1,
        team: escapeHtml(t.name),
        count: t.members,
        names: t.names.map(escapeHtml).join(ctx.t("common:listSep")),
        ...raw,
      }),
    );
  lines.push("", ctx.t("teams:staff.free", { count: s.free.length }));
  const kb = new InlineKeyboard();
  if (s.canForm && s.free.length >= MIN_STAFF_TEAM)
    kb.text(ctx.t("teams:staff.form"), teamRoutes.staffForm.data(courseId)).row();
  kb.text(ctx.t("common:back"), rosterRoutes.course.data(courseId));
  return { text: lines.join("\n"), keyboard: kb };
}

/** How many participants the staff's picker shows a page. */
export const PICK_PAGE = 8;

/** The staff's picker: enrolled participants without a team, toggled on and off, a page at a time. */
export function pickScreen(
  ctx: ConvContext,
  free: { personId: number; name: string }[],
  chosen: ReadonlySet<number>,
  page: number,
): Screen {
  const kb = new InlineKeyboard();
  const start = page * PICK_PAGE;
  for (const p of free.slice(start, start + PICK_PAGE))
    kb.text(
      cutText(`${chosen.has(p.personId) ? "✅" : "▫️"} ${p.name}`, buttonMax(ctx.locale)),
      cb("tm", "st", p.personId),
    ).row();
  pagerButtons(kb, page, start + PICK_PAGE < free.length, teamRoutes.staffFormPage);
  kb.row().text(ctx.t("teams:staff.done"), cb("tm", "sd")).text(ctx.t("teams:staff.cancel"), cb("tm", "sx"));
  return { text: pickText(ctx, free, chosen), keyboard: kb };
}

/**
 * Who is chosen so far, by name, so that a choice on another page is still seen; once Done is
 * pressed (`done`), only the new team's members, above the question for its name.
 */
export function pickText(
  ctx: ConvContext,
  free: { personId: number; name: string }[],
  chosen: ReadonlySet<number>,
  done = false,
): string {
  const names = free.filter((p) => chosen.has(p.personId)).map((p) => escapeHtml(p.name));
  return ctx.t(done ? "teams:staff.picked" : "teams:staff.pick", {
    min: MIN_STAFF_TEAM,
    count: chosen.size,
    names: names.length > 0 ? names.join(ctx.t("common:listSep")) : ctx.t("teams:staff.pickedNone"),
    ...raw,
  });
}
