import { Composer, InlineKeyboard, InputFile } from "grammy";
import { exportOwnData, forgetAccount } from "../../own-data/own-data.ts";
import type { BotContext } from "../context.ts";
import { cbRoute } from "../../callback-data.ts";
import { answer } from "../menu.ts";
import { graphemeLength } from "../../text.ts";
import { show } from "../views/enrol.ts";
import { ownDataText } from "../views/own-data.ts";

/** Callback data of /forget's question. */
export const ownDataRoutes = {
  forget: cbRoute("my:fy"),
  keep: cbRoute("my:fn"),
};

/** /mydata (everything we keep, as a JSON file) and /forget (with a confirmation). */
export function createOwnDataFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.command("mydata", async (ctx) => {
    const data = exportOwnData(ctx.deps.db, ctx.from.id, ctx.deps.clock.now());
    const bytes = Buffer.from(JSON.stringify(data, null, 2), "utf8");
    const text = ownDataText(ctx, data);
    const file = new InputFile(bytes, "my-data.json");
    // One message when the words fit a caption (1,024 characters); else the words, then the file.
    if (graphemeLength(text) <= 1000) {
      await ctx.replyWithDocument(file, { caption: text, parse_mode: "HTML" });
      return;
    }
    await ctx.reply(text, { parse_mode: "HTML" });
    await ctx.replyWithDocument(file, { caption: ctx.t("enrol:data.caption") });
  });

  pm.command("forget", async (ctx) => {
    const kb = new InlineKeyboard()
      .text(ctx.t("enrol:data.yes"), ownDataRoutes.forget.data())
      .row()
      .text(ctx.t("enrol:data.no"), ownDataRoutes.keep.data());
    await ctx.reply(ctx.t("enrol:data.askForget"), { parse_mode: "HTML", reply_markup: kb });
  });

  pm.callbackQuery(ownDataRoutes.keep.pattern, async (ctx) => {
    await answer(ctx);
    await show(ctx, { text: ctx.t("enrol:data.kept") });
  });

  pm.callbackQuery(ownDataRoutes.forget.pattern, async (ctx) => {
    await ctx.conversation.exitAll();
    const { db, clock, config } = ctx.deps;
    const s = forgetAccount(db, ctx.from.id, clock.now(), config);
    await answer(ctx);
    ctx.log.info({ people: s.people, enrolments: s.enrolmentsCancelled }, "account forgotten");
    const text = ctx.t("enrol:data.forgotten", {
      people: s.people,
      enrolments: s.enrolmentsCancelled,
      feedback: s.feedback,
      wishes: s.wishes,
      volunteer: ctx.t(s.volunteer ? "enrol:data.yesWord" : "enrol:data.noWord"),
      messages: s.messages,
    });
    await show(ctx, { text });
  });

  return composer;
}
