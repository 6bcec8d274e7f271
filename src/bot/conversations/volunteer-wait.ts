/**
 * Waiting inside the volunteer, shift and feedback forms: take only the kind of answer the step
 * expects; answer every other button at once (so it does not spin) and say what the step wants.
 */

import type { ConvContext } from "../context.ts";
import { answer, MENU_KEYS, menuLabel } from "../menu.ts";
import type { LifelongConversation } from "../context.ts";

export interface WaitOptions {
  /** Callback data prefixes this step takes. */
  prefixes?: string[];
  /** Free text is an answer (not a command, not a main-menu button). */
  text?: boolean;
  /** A shared contact is an answer. */
  contact?: boolean;
  /** Said when something else arrives (already translated, HTML). */
  hint: string;
}

function isMenuText(ctx: ConvContext, text: string): boolean {
  return [...MENU_KEYS, "staff" as const].some((k) => menuLabel(ctx.deps.i18n, k).includes(text));
}

/** The next update that answers this step. */
export async function waitAnswer(
  conversation: LifelongConversation,
  opts: WaitOptions,
): Promise<ConvContext> {
  for (;;) {
    const c = await conversation.wait();
    const data = c.callbackQuery?.data;
    if (data !== undefined) {
      if (opts.prefixes?.some((p) => data.startsWith(p))) return c;
      await answer(c, c.t("volunteer:form.stray"), true);
      continue;
    }
    if (opts.contact && c.message?.contact) return c;
    const text = c.message?.text;
    if (opts.text && text !== undefined && !text.startsWith("/") && !isMenuText(c, text)) return c;
    await c.reply(`${opts.hint}\n\n${c.t("volunteer:form.cancelHint")}`, { parse_mode: "HTML" });
  }
}
