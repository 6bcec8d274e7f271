/**
 * A suggestion or a problem report: which course (or the school in general), the text, and
 * whether to show one's name. A problem goes to the course's staff at once.
 */
import { InlineKeyboard } from "grammy";
import { coursesTaken, submitFeedback } from "../../feedback/feedback.ts";
import { MAX_COMMENT } from "../../feedback/text.ts";
import type { ConvContext } from "../context.ts";
import { answer, cb, mainMenu } from "../menu.ts";
import type { LifelongConversation } from "../context.ts";
import { waitAnswer } from "./volunteer-wait.ts";
import { pick } from "../../i18n/bilingual.ts";

type Kind = "suggestion" | "problem";

export async function feedbackNote(
  conversation: LifelongConversation,
  ctx: ConvContext,
  kind: Kind,
): Promise<void> {
  const accountId = ctx.from?.id ?? 0;
  const courses = await conversation.external((x) => {
    const seen = new Set<number>();
    return coursesTaken(x.deps.db, accountId, x.deps.clock.now())
      .filter((c) => !seen.has(c.courseId) && seen.add(c.courseId))
      .map((c) => ({ id: c.courseId, title: pick({ zh: c.titleZh, en: c.titleEn }, x.locale) }));
  });
  let courseId: number | null = null;
  if (courses.length > 0) {
    const kb = new InlineKeyboard();
    for (const c of courses.slice(0, 10)) kb.text(c.title, cb("fb", "nc", c.id)).row();
    kb.text(ctx.t("feedback:note.general"), cb("fb", "nc", 0));
    await ctx.reply(ctx.t(`feedback:note.whichCourse.${kind}`), { reply_markup: kb });
    for (;;) {
      const c = await waitAnswer(conversation, {
        prefixes: ["fb:nc:"],
        hint: ctx.t(`feedback:note.whichCourse.${kind}`),
      });
      const id = Number(c.callbackQuery?.data?.slice("fb:nc:".length));
      await answer(c);
      if (id === 0) break;
      if (courses.some((x) => x.id === id)) {
        courseId = id;
        break;
      }
    }
  }
  let anonymous = false;
  const kb = () =>
    new InlineKeyboard().text(
      ctx.t(anonymous ? "feedback:comment.anonymousOn" : "feedback:comment.anonymousOff"),
      cb("fb", "nan"),
    );
  await ctx.reply(ctx.t(`feedback:note.ask.${kind}`, { max: MAX_COMMENT }), { reply_markup: kb() });
  for (;;) {
    const c = await waitAnswer(conversation, {
      text: true,
      prefixes: ["fb:nan"],
      hint: ctx.t(`feedback:note.ask.${kind}`, { max: MAX_COMMENT }),
    });
    if (c.callbackQuery) {
      anonymous = !anonymous;
      await answer(c, ctx.t(anonymous ? "feedback:comment.anonymousSet" : "feedback:comment.namedSet"));
      await c.editMessageReplyMarkup({ reply_markup: kb() }).catch(() => undefined);
      continue;
    }
    const input = { accountId, kind, courseId, comment: c.message?.text ?? "", anonymous };
    const result = await conversation.external((x) => submitFeedback(x.deps.db, input, x.deps.clock.now()));
    if (!result.ok) {
      await c.reply(ctx.t(`feedback:note.failed.${result.reason}`));
      if (result.reason === "empty") continue;
      return;
    }
    const note = result.truncated ? `${ctx.t("feedback:tooLong", { max: MAX_COMMENT })}\n` : "";
    await c.reply(`${note}${ctx.t(`feedback:note.saved.${kind}`)}`, { reply_markup: mainMenu(ctx) });
    return;
  }
}
