/**
 * Staff register a learning organisation: school (when they have several), kind, name, contact
 * person, number of employees. 0 employees is refused with the reason and asked again; a name
 * already at the school is refused; a close one gets "did you mean" first.
 * Buttons inside use org:f:<value>.
 */
import { InlineKeyboard } from "grammy";
import { cleanName } from "../../people/accounts.ts";
import type { OrganisationKind } from "../../organisations/register.ts";
import {
  isOrganisationKind,
  MAX_ORG_NAME,
  ORGANISATION_KINDS,
  parseEmployees,
  registerOrganisation,
} from "../../organisations/register.ts";
import { managedSites } from "../../staff/access.ts";
import { cb } from "../menu.ts";
import type { ConvContext } from "../context.ts";
import { escHtml, orgDetailScreen, orgRoutes, rawLabel } from "../views/organisations.ts";
import type { LifelongConversation } from "../context.ts";
import { waitButton, waitText } from "./staff-wait.ts";

export const ORG_REGISTER = "org-register";

/** Asks for a count until it is a whole number from 1 up; `check` may refuse more (reason key + params). */
export async function askCount(
  conversation: LifelongConversation,
  ctx: ConvContext,
  check?: (n: number) => Promise<{ key: string; params?: Record<string, unknown> } | null>,
): Promise<number> {
  await ctx.reply(ctx.t("orgs:staff.askEmployees"));
  for (;;) {
    const text = (await waitText(conversation, ctx.t("orgs:staff.askEmployees"))).message?.text ?? "";
    const n = parseEmployees(text);
    const problem =
      n === undefined
        ? { key: "orgs:staff.badNumber" }
        : n < 1
          ? { key: "orgs:staff.noEmployees" }
          : check
            ? await check(n)
            : null;
    if (!problem && n !== undefined) return n;
    await ctx.reply(ctx.t(problem!.key, problem!.params ?? {}));
  }
}

export async function orgRegister(conversation: LifelongConversation, ctx: ConvContext): Promise<void> {
  const userId = ctx.account?.id ?? 0;
  const sites = await conversation.external((c: ConvContext) => managedSites(c.deps.db, userId));
  if (!sites || sites.length === 0) {
    await ctx.reply(ctx.t("staff:denied"));
    return;
  }
  const useButtons = ctx.t("orgs:staff.useButtons");
  let siteId = sites[0]!.id;
  if (sites.length > 1) {
    const kb = new InlineKeyboard();
    for (const s of sites) kb.text(ctx.locale === "zh" ? s.name_zh : s.name_en, cb("org", "f", s.id)).row();
    await ctx.reply(ctx.t("orgs:staff.askSite"), { reply_markup: kb });
    for (;;) {
      const picked = Number((await waitButton(conversation, /^org:f:(\d+)$/, useButtons)).match[1]);
      if (sites.some((s) => s.id === picked)) {
        siteId = picked;
        break;
      }
    }
  }
  const kinds = new InlineKeyboard();
  ORGANISATION_KINDS.forEach((k, i) => {
    kinds.text(ctx.t(`orgs:kind.${k}`), cb("org", "f", k));
    if (i % 2 === 1) kinds.row();
  });
  await ctx.reply(ctx.t("orgs:staff.askKind"), { reply_markup: kinds });
  let kind: OrganisationKind | undefined;
  while (!kind) {
    const k = (await waitButton(conversation, /^org:f:(\w+)$/, useButtons)).match[1];
    if (isOrganisationKind(k)) kind = k;
  }
  const ask = async (key: string) => {
    await ctx.reply(ctx.t(key));
    for (;;) {
      const text = cleanName((await waitText(conversation, ctx.t(key))).message?.text ?? "", MAX_ORG_NAME);
      if (text) return text;
      await ctx.reply(ctx.t("orgs:staff.badName"));
    }
  };
  const name = await ask("orgs:staff.askName");
  const contactName = await ask("orgs:staff.askContact");
  const employees = await askCount(conversation, ctx);

  const input = { siteId, kind, name, contactName, employees };
  let result = await conversation.external((c: ConvContext) =>
    registerOrganisation(c.deps.db, input, userId, c.deps.clock.now()),
  );
  if (result.kind === "similar") {
    const kb = new InlineKeyboard();
    for (const o of result.candidates.slice(0, 5))
      kb.text(ctx.t("orgs:staff.open", { name: o.name, ...rawLabel }), cb("org", "f", `o${o.id}`)).row();
    kb.text(ctx.t("orgs:staff.notSimilar"), cb("org", "f", "new"));
    const names = result.candidates
      .slice(0, 5)
      .map((o) => `• ${escHtml(o.name)}`)
      .join("\n");
    await ctx.reply(ctx.t("orgs:staff.similar", { names, interpolation: { escapeValue: false } }), {
      parse_mode: "HTML",
      reply_markup: kb,
    });
    const choice = (await waitButton(conversation, /^org:f:(new|o\d+)$/, useButtons)).match[1]!;
    if (choice !== "new") {
      const screen = await conversation.external((c: ConvContext) =>
        orgDetailScreen(c, Number(choice.slice(1))),
      );
      await ctx.reply(screen.text, {
        parse_mode: "HTML",
        ...(screen.keyboard ? { reply_markup: screen.keyboard } : {}),
      });
      return;
    }
    result = await conversation.external((c: ConvContext) =>
      registerOrganisation(c.deps.db, { ...input, confirmSimilar: true }, userId, c.deps.clock.now()),
    );
  }
  if (result.kind === "duplicate") {
    const kb = new InlineKeyboard().text(
      ctx.t("orgs:staff.open", { name: result.existing.name, ...rawLabel }),
      orgRoutes.view.data(result.existing.id),
    );
    await ctx.reply(ctx.t("orgs:staff.duplicate", { name: result.existing.name }), {
      parse_mode: "HTML",
      reply_markup: kb,
    });
    return;
  }
  if (result.kind !== "registered") {
    // The steps above already refused each of these; a second staff member may have raced us.
    await ctx.reply(ctx.t("orgs:staff.notFound"));
    return;
  }
  const org = result.organisation;
  const kb = new InlineKeyboard()
    .text(ctx.t("orgs:staff.invite"), orgRoutes.invite.data(org.id))
    .row()
    .text(ctx.t("orgs:staff.open", { name: org.name, ...rawLabel }), orgRoutes.view.data(org.id));
  await ctx.reply(ctx.t("orgs:staff.registered", { name: org.name, employees: org.employees }), {
    parse_mode: "HTML",
    reply_markup: kb,
  });
}
