/**
 * Learning organisations for staff: /orgs (each organisation's training rate against the
 * target, the district's rate), registering one, the contact's one-time invitation link, the
 * number of employees. And the link itself: /start o_<token> makes the opener the contact.
 */
import { Composer } from "grammy";
import { acceptInvite, createInvite, INVITE_DAYS } from "../../organisations/members.ts";
import { getOrganisation } from "../../organisations/register.ts";
import type { BotContext } from "../context.ts";
import { answer } from "../menu.ts";
import {
  canManageSite,
  contactScreen,
  orgDetailScreen,
  orgListScreen,
  orgRoutes,
} from "../views/organisations.ts";
import { ORG_EMPLOYEES } from "../conversations/org-employees.ts";
import { ORG_REGISTER } from "../conversations/org-register.ts";
import { requireStaff, show } from "./staff-guard.ts";

/** The o_ deep link: accepts the invitation and shows the contact's screen. */
export async function handleOrganisationLink(ctx: BotContext, token: string): Promise<void> {
  const { db, clock } = ctx.deps;
  const r = acceptInvite(db, token, ctx.from!.id, clock.now());
  if (r.kind === "unknown") return void (await ctx.reply(ctx.t("orgs:contact.invalid")));
  if (r.kind === "expired") return void (await ctx.reply(ctx.t("orgs:contact.expired")));
  if (r.kind === "used" && !r.byYou) return void (await ctx.reply(ctx.t("orgs:contact.usedByOther")));
  const key = r.kind === "accepted" ? "orgs:contact.accepted" : "orgs:contact.already";
  await ctx.reply(ctx.t(key, { name: r.organisation.name }), { parse_mode: "HTML" });
  const screen = contactScreen(ctx);
  await ctx.reply(screen.text, {
    parse_mode: "HTML",
    ...(screen.keyboard ? { reply_markup: screen.keyboard } : {}),
  });
}

/** Staff of the organisation's site (or of every site); otherwise refused. */
async function requireOrgStaff(ctx: BotContext, orgId: number): Promise<boolean> {
  if (!(await requireStaff(ctx))) return false;
  const org = getOrganisation(ctx.deps.db, orgId);
  if (org && canManageSite(ctx.deps.db, ctx.from!.id, org.siteId)) return true;
  if (ctx.callbackQuery) await answer(ctx, ctx.t("orgs:staff.denied"), true);
  else await ctx.reply(ctx.t("orgs:staff.denied"));
  return false;
}

export function createOrganisationsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.command("start", async (ctx, next) => {
    if (!ctx.match.startsWith("o_")) return next();
    await handleOrganisationLink(ctx, ctx.match.slice(2));
  });

  const list = async (ctx: BotContext) => {
    if (!(await requireStaff(ctx))) return;
    const screen = orgListScreen(ctx);
    await show(ctx, screen.text, screen.keyboard);
  };
  pm.command("orgs", list);
  pm.callbackQuery(orgRoutes.list.pattern, list);

  pm.callbackQuery(orgRoutes.register.pattern, async (ctx) => {
    if (!(await requireStaff(ctx))) return;
    await answer(ctx);
    await ctx.conversation.enter(ORG_REGISTER);
  });

  pm.callbackQuery(orgRoutes.view.pattern, async (ctx) => {
    const [orgId] = orgRoutes.view.read(ctx.match);
    if (!(await requireOrgStaff(ctx, orgId))) return;
    const screen = orgDetailScreen(ctx, orgId);
    await show(ctx, screen.text, screen.keyboard);
  });

  pm.callbackQuery(orgRoutes.invite.pattern, async (ctx) => {
    const [orgId] = orgRoutes.invite.read(ctx.match);
    if (!(await requireOrgStaff(ctx, orgId))) return;
    await answer(ctx);
    const { db, clock } = ctx.deps;
    const org = getOrganisation(db, orgId)!;
    const token = createInvite(db, orgId, ctx.from.id, clock.now());
    const link = `https://t.me/${ctx.me.username}?start=o_${token}`;
    await ctx.reply(ctx.t("orgs:staff.inviteText", { contact: org.contactName, days: INVITE_DAYS, link }), {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
    });
  });

  pm.callbackQuery(orgRoutes.employees.pattern, async (ctx) => {
    const [orgId] = orgRoutes.employees.read(ctx.match);
    if (!(await requireOrgStaff(ctx, orgId))) return;
    await answer(ctx);
    await ctx.conversation.enter(ORG_EMPLOYEES, orgId);
  });

  return composer;
}
