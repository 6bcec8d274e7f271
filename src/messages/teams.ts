/** Messages of learning teams: telling an account that the school put one of its people in a team. */
import { pick } from "../i18n/bilingual.ts";
import type { Template } from "../notify/template.ts";
import { TEAM_ADDED_TEMPLATE } from "../selection/team-forming.ts";

export const TEAM_TEMPLATES: Record<string, Template> = {
  /**
   * params: teamId, personId. Checked when sent: the person is still in the team and still this
   * chat's (they may have left it, or used /forget, since). A health-related course is not named,
   * as in every message nobody asked for; the team's name and the way to it are enough.
   */
  [TEAM_ADDED_TEMPLATE]: (ctx, params) => {
    const row = ctx.db
      .prepare(
        `SELECT p.name, p.is_self AS isSelf, t.name AS team, c.title_zh AS titleZh, c.title_en AS titleEn,
                c.health_related AS health
         FROM learning_team_members m
         JOIN learning_teams t ON t.id = m.team_id
         JOIN courses c ON c.id = t.course_id
         JOIN people p ON p.id = m.person_id
         WHERE m.team_id = ? AND m.person_id = ? AND p.account_id = ?`,
      )
      .get(Number(params.teamId), Number(params.personId), ctx.chatId) as
      | { name: string; isSelf: number; team: string; titleZh: string; titleEn: string; health: number }
      | undefined;
    if (!row) return null;
    const who = row.isSelf ? "self" : "member";
    const values = {
      name: row.name,
      team: row.team,
      course: pick({ zh: row.titleZh, en: row.titleEn }, ctx.locale),
    };
    return { text: ctx.t(row.health ? `teams:added.neutral.${who}` : `teams:added.${who}`, values) };
  },
};
