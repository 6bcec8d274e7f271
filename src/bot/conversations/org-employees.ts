/** Staff change an organisation's number of employees; never 0, never below the people registered. */
import { getOrganisation, setEmployees } from "../../organisations/register.ts";
import type { ConvContext } from "../context.ts";
import { canManageSite, orgDetailScreen } from "../views/organisations.ts";
import type { LifelongConversation } from "../context.ts";
import { askCount } from "./org-register.ts";

export const ORG_EMPLOYEES = "org-employees";

export async function orgEmployees(
  conversation: LifelongConversation,
  ctx: ConvContext,
  orgId: number,
): Promise<void> {
  const userId = ctx.account?.id ?? 0;
  const allowed = await conversation.external((c: ConvContext) => {
    const org = getOrganisation(c.deps.db, orgId);
    return org !== undefined && canManageSite(c.deps.db, userId, org.siteId);
  });
  if (!allowed) {
    await ctx.reply(ctx.t("orgs:staff.denied"));
    return;
  }
  await askCount(conversation, ctx, async (n) => {
    const r = await conversation.external((c: ConvContext) =>
      setEmployees(c.deps.db, orgId, n, c.deps.clock.now()),
    );
    if (r.kind === "updated") return null;
    if (r.kind === "belowLinked") return { key: "orgs:staff.belowLinked", params: { linked: r.linked } };
    if (r.kind === "tooManyEmployees") return { key: "orgs:staff.tooManyEmployees", params: { max: r.max } };
    return { key: r.kind === "noEmployees" ? "orgs:staff.noEmployees" : "orgs:staff.notFound" };
  });
  const screen = await conversation.external((c: ConvContext) => orgDetailScreen(c, orgId));
  await ctx.reply(screen.text, {
    parse_mode: "HTML",
    ...(screen.keyboard ? { reply_markup: screen.keyboard } : {}),
  });
}
