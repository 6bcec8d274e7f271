import { Keyboard } from "grammy";
import { saveOwnPhone } from "../../enrollment/family.ts";
import type { EnrolStep } from "../../enrollment/flow.ts";
import { enrolmentStep } from "../../enrollment/flow.ts";
import type { ConvContext } from "../context.ts";
import type { Screen } from "../views/enrol.ts";
import { stepScreen } from "../views/enrol.ts";
import { answer, mainMenu } from "../menu.ts";
import type { LifelongConversation } from "../context.ts";

/** The `otherwise` of every wait: a stray button is answered (never left spinning), stray input gets a hint. */
export async function strayHint(ctx: ConvContext, key: string): Promise<void> {
  if (ctx.callbackQuery) {
    await answer(ctx, ctx.t(key), true);
    return;
  }
  await ctx.reply(ctx.t(key));
}

/** The main menu keyboard as plain data (it reads roles, so it is built in `external`). */
export function menuMarkup(conversation: LifelongConversation, ctx: ConvContext) {
  return conversation.external(
    () => JSON.parse(JSON.stringify(mainMenu(ctx))) as ReturnType<typeof mainMenu>,
  );
}

/**
 * Asks for the person's own phone with Telegram's share-contact button, accepts only a contact
 * whose user id is the sender's, and stores it. Returns when a number is saved.
 */
export async function askOwnPhone(
  conversation: LifelongConversation,
  ctx: ConvContext,
  text: string,
): Promise<void> {
  const kb = new Keyboard().requestContact(ctx.t("enrol:phone.button")).resized().oneTime();
  await ctx.reply(text, { parse_mode: "HTML", reply_markup: kb });
  for (;;) {
    const reply = await conversation.waitFor(["message:contact", "message:text"], {
      otherwise: (o) => strayHint(o, "enrol:phone.hint"),
    });
    const contact = reply.message.contact;
    if (!contact) {
      await reply.reply(ctx.t("enrol:phone.hint"), { reply_markup: kb });
      continue;
    }
    if (contact.user_id !== reply.from.id) {
      await reply.reply(ctx.t("enrol:phone.notOwn"), { reply_markup: kb });
      continue;
    }
    const accountId = reply.from.id;
    await conversation.external((c) => saveOwnPhone(c.deps.db, accountId, contact.phone_number));
    await reply.reply(ctx.t("enrol:phone.saved"), { reply_markup: await menuMarkup(conversation, ctx) });
    return;
  }
}

/** The current step for this participant, re-checked in `external`; after a phone is asked, again. */
export async function stepWithPhone(
  conversation: LifelongConversation,
  ctx: ConvContext,
  input: { courseId: number; ref: string; flags: string },
): Promise<Screen> {
  const accountId = ctx.from?.id ?? 0;
  const load = () =>
    conversation.external(
      (c): EnrolStep =>
        enrolmentStep(
          c.deps.db,
          {
            accountId,
            courseId: input.courseId,
            ref: input.ref,
            consent: input.flags.includes("c"),
            acceptClash: input.flags.includes("x"),
          },
          c.deps.clock.now(),
        ),
    );
  let screen = stepScreen(ctx, await load(), input.flags);
  if (screen.askPhone) {
    await askOwnPhone(conversation, ctx, screen.text);
    screen = stepScreen(ctx, await load(), input.flags);
  }
  return screen;
}
