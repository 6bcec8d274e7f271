/** The organisation's contact adds a person by name. */
import { addMember } from "../../organisations/members.ts";
import type { ConvContext } from "../context.ts";
import { contactScreen } from "../views/organisations.ts";
import type { LifelongConversation } from "../context.ts";
import { waitText } from "./staff-wait.ts";

export const ORG_MEMBER_ADD = "org-member-add";

export async function orgMemberAdd(
  conversation: LifelongConversation,
  ctx: ConvContext,
  orgId: number,
): Promise<void> {
  const contactId = ctx.account?.id ?? 0;
  const prompt = ctx.t("orgs:contact.askMemberName");
  await ctx.reply(prompt);
  for (;;) {
    const name = (await waitText(conversation, prompt)).message?.text ?? "";
    const r = await conversation.external((c: ConvContext) =>
      addMember(c.deps.db, { organisationId: orgId, contactId, name }, c.deps.clock.now()),
    );
    if (r.kind === "badName") {
      await ctx.reply(ctx.t("orgs:contact.badMemberName"));
      continue;
    }
    if (r.kind === "notContact") await ctx.reply(ctx.t("orgs:contact.notContact"));
    else if (r.kind === "full") await ctx.reply(ctx.t("orgs:contact.full", { employees: r.employees }));
    else await ctx.reply(ctx.t("orgs:contact.memberAdded", { name: r.member.name }));
    break;
  }
  const screen = await conversation.external((c: ConvContext) => contactScreen(c));
  await ctx.reply(screen.text, {
    parse_mode: "HTML",
    ...(screen.keyboard ? { reply_markup: screen.keyboard } : {}),
  });
}
