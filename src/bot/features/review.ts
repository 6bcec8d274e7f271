/**
 * `/review [2026H1]`: the half-year review for the leading group's meeting, for admins. Without
 * a half named, the half year in progress so far.
 */
import { Composer, InputFile } from "grammy";
import { reviewMessages } from "../../messages/review.ts";
import { currentHalf, parseHalf } from "../../review/figures.ts";
import type { BotContext } from "../context.ts";
import { requireAdmin } from "./staff-guard.ts";

export function createReviewFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.command("review", async (ctx) => {
    if (!(await requireAdmin(ctx))) return;
    const { db, config, clock } = ctx.deps;
    const arg = ctx.match.trim();
    const now = clock.now();
    const half = arg === "" ? currentHalf(now, config.timezone) : parseHalf(arg);
    if (!half) return void (await ctx.reply(ctx.t("review:bad")));
    await ctx.reply(ctx.t("review:sending"));
    for (const m of await reviewMessages(ctx.t, ctx.locale, db, config, half, now))
      if (m.document)
        await ctx.replyWithDocument(new InputFile(m.document.bytes, m.document.filename), {
          caption: m.text,
        });
  });

  return composer;
}
