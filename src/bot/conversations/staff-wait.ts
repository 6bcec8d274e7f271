/** Waits shared by the staff conversations: every stray update is answered with what the step expects. */
import type { ConvContext } from "../context.ts";
import { answer } from "../menu.ts";
import type { LifelongConversation } from "../context.ts";

async function remind(ctx: ConvContext, hint: string): Promise<void> {
  if (ctx.callbackQuery) await answer(ctx, hint, true);
  else await ctx.reply(hint, { parse_mode: "HTML" });
}

/** The next text message (not a command); anything else gets `hint`. */
export async function waitText(conversation: LifelongConversation, hint: string): Promise<ConvContext> {
  return conversation.waitUntil(
    (c: ConvContext) => typeof c.message?.text === "string" && !c.message.text.startsWith("/"),
    {
      otherwise: (c: ConvContext) => remind(c, hint),
    },
  );
}

/** The next press on a button whose data matches `pattern`; anything else gets `hint`. */
export async function waitButton(
  conversation: LifelongConversation,
  pattern: RegExp,
  hint: string,
): Promise<ConvContext & { match: RegExpMatchArray }> {
  const c = await conversation.waitForCallbackQuery(pattern, {
    otherwise: (o: ConvContext) => remind(o, hint),
  });
  await answer(c);
  return c as ConvContext & { match: RegExpMatchArray };
}
