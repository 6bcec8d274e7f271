/**
 * Writing a broadcast: the message, a preview with the number of recipients, confirm. The text
 * is checked (length, formatting) before anything is queued; the queueing is one transaction.
 * Entered with the audience code (news, vol, c<courseId>, s<siteId>).
 */
import { InlineKeyboard } from "grammy";
import { audienceCode, createBroadcast, parseAudience, recipients } from "../../staff/broadcast.ts";
import { canBroadcastTo } from "../../staff/broadcast-access.ts";
import { checkTelegramHtml } from "../../staff/html-check.ts";
import type { ConvContext } from "../context.ts";
import { broadcastRoutes, staffRoutes } from "../../messages/staff-routes.ts";
import { mainMenu } from "../menu.ts";
import type { LifelongConversation } from "../context.ts";
import { waitButton, waitText } from "./staff-wait.ts";

export async function broadcastCompose(
  conversation: LifelongConversation,
  ctx: ConvContext,
  code: string,
): Promise<void> {
  const audience = parseAudience(code);
  const userId = ctx.account?.id ?? 0;
  const allowed = await conversation.external(
    (c: ConvContext) => audience !== null && canBroadcastTo(c.deps.db, userId, audience),
  );
  if (!audience || !allowed) {
    await ctx.reply(ctx.t("staff:denied"));
    return;
  }
  const count = await conversation.external((c: ConvContext) => recipients(c.deps.db, audience).length);
  await ctx.reply(ctx.t("staff:broadcast.write", { n: count }), { parse_mode: "HTML" });
  let html = "";
  for (;;) {
    const msg = await waitText(conversation, ctx.t("staff:broadcast.expectText"));
    const check = checkTelegramHtml(msg.message?.text ?? "");
    if (!check.ok) {
      await msg.reply(ctx.t(`staff:broadcast.${check.problem}`), { parse_mode: "HTML" });
      continue;
    }
    try {
      // Telegram parses the preview exactly as it will parse the broadcast.
      await msg.reply(check.html, { parse_mode: "HTML" });
    } catch {
      await msg.reply(ctx.t("staff:broadcast.badFormat"), { parse_mode: "HTML" });
      continue;
    }
    html = check.html;
    break;
  }
  const confirmKb = new InlineKeyboard()
    .text(ctx.t("staff:broadcast.send"), broadcastRoutes.confirm.data("y"))
    .text(ctx.t("staff:broadcast.cancel"), broadcastRoutes.confirm.data("n"));
  await ctx.reply(ctx.t("staff:broadcast.confirm", { n: count }), { reply_markup: confirmKb });
  const choice = await waitButton(
    conversation,
    broadcastRoutes.confirm.pattern,
    ctx.t("staff:broadcast.expectConfirm"),
  );
  if (broadcastRoutes.confirm.read(choice.match)[0] === "n") {
    await choice.editMessageText(ctx.t("staff:broadcast.dropped")).catch(() => undefined);
    await ctx.reply(ctx.t("common:menu.prompt"), { reply_markup: mainMenu(ctx) });
    return;
  }
  const result = await conversation.external((c: ConvContext) => {
    // Rights are checked again: a role may have been revoked while the message was written.
    if (!canBroadcastTo(c.deps.db, userId, audience)) return null;
    return createBroadcast(c.deps.db, userId, audience, html, c.deps.clock.now());
  });
  if (!result) {
    await ctx.reply(ctx.t("staff:denied"));
    return;
  }
  await choice
    .editMessageText(
      ctx.t("staff:broadcast.queued", { n: result.count, id: result.id, audience: audienceCode(audience) }),
      { reply_markup: new InlineKeyboard().text(ctx.t("common:back"), staffRoutes.menu.data()) },
    )
    .catch(() => undefined);
}
