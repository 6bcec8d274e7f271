/**
 * "What would you like to learn?": pick topics (course categories) or write freely, then for
 * whom and when suits. Staff hear when a topic has enough wishes.
 */
import { InlineKeyboard } from "grammy";
import { CATEGORIES } from "../../catalog/codes.ts";
import { wishThreshold } from "../../feedback/targets.ts";
import { MAX_COMMENT } from "../../feedback/text.ts";
import { topicForText, WISH_WHEN, WISH_WHO } from "../../feedback/wish-topics.ts";
import { addWish } from "../../feedback/wishes.ts";
import type { ConvContext } from "../context.ts";
import { answer, cb, mainMenu } from "../menu.ts";
import type { LifelongConversation } from "../context.ts";
import { waitAnswer } from "./volunteer-wait.ts";

function topicsKeyboard(ctx: ConvContext, chosen: Set<string>): InlineKeyboard {
  const kb = new InlineKeyboard();
  CATEGORIES.forEach((code, i) => {
    const label = ctx.t(`codes:category.${code}`);
    kb.text(chosen.has(code) ? `✅ ${label}` : label, cb("wsh", "t", code));
    if (i % 2 === 1) kb.row();
  });
  return kb.row().text(ctx.t("feedback:wish.done"), cb("wsh", "ok"));
}

async function choose(
  conversation: LifelongConversation,
  ctx: ConvContext,
  prompt: string,
  tag: string,
  codes: readonly string[],
  labels: string,
): Promise<string> {
  const kb = new InlineKeyboard();
  codes.forEach((code, i) => {
    kb.text(ctx.t(`${labels}.${code}`), cb("wsh", tag, code));
    if (i % 2 === 1) kb.row();
  });
  await ctx.reply(prompt, { reply_markup: kb });
  for (;;) {
    const c = await waitAnswer(conversation, { prefixes: [`wsh:${tag}:`], hint: prompt });
    const code = c.callbackQuery?.data?.slice(`wsh:${tag}:`.length) ?? "";
    await answer(c);
    if (codes.includes(code)) return code;
  }
}

export async function feedbackWish(conversation: LifelongConversation, ctx: ConvContext): Promise<void> {
  const accountId = ctx.from?.id ?? 0;
  const chosen = new Set<string>();
  let text = "";
  await ctx.reply(ctx.t("feedback:wish.ask"), { reply_markup: topicsKeyboard(ctx, chosen) });
  for (;;) {
    const c = await waitAnswer(conversation, {
      text: true,
      prefixes: ["wsh:t:", "wsh:ok"],
      hint: ctx.t("feedback:wish.ask"),
    });
    const data = c.callbackQuery?.data;
    if (data === "wsh:ok") {
      if (chosen.size === 0 && !text) {
        await answer(c, ctx.t("feedback:wish.pickOne"), true);
        continue;
      }
      await answer(c);
      break;
    }
    if (data) {
      const code = data.slice("wsh:t:".length);
      if ((CATEGORIES as readonly string[]).includes(code))
        chosen.has(code) ? chosen.delete(code) : chosen.add(code);
      await answer(c);
      await c.editMessageReplyMarkup({ reply_markup: topicsKeyboard(ctx, chosen) }).catch(() => undefined);
      continue;
    }
    // Free text: understood as a topic when it names one, and kept as written.
    text = (c.message?.text ?? "").trim();
    const topic = topicForText(text);
    const understood =
      topic === "other"
        ? ctx.t("feedback:wish.notUnderstood")
        : ctx.t("feedback:wish.understood", { topic: ctx.t(`codes:category.${topic}`) });
    const tooLong =
      Array.from(text).length > MAX_COMMENT ? `${ctx.t("feedback:tooLong", { max: MAX_COMMENT })}\n` : "";
    await c.reply(`${tooLong}${understood}`);
    break;
  }
  const forWhom = await choose(
    conversation,
    ctx,
    ctx.t("feedback:wish.askWho"),
    "w",
    WISH_WHO,
    "feedback:wish.who",
  );
  const whenSuits = await choose(
    conversation,
    ctx,
    ctx.t("feedback:wish.askWhen"),
    "n",
    WISH_WHEN,
    "feedback:wish.when",
  );
  const input = { accountId, topics: [...chosen], text: text || null, forWhom, whenSuits };
  await conversation.external((x) =>
    addWish(x.deps.db, input, wishThreshold(x.deps.config, x.log), x.deps.clock.now()),
  );
  await ctx.reply(ctx.t("feedback:wish.saved"), { reply_markup: mainMenu(ctx) });
}
