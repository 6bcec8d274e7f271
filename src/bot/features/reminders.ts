import { Composer, InlineKeyboard } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import { recordAttendance, withdrawExcuse } from "../../enrollment/attendance.ts";
import { cancelEnrolment } from "../../enrollment/cancel.ts";
import { loadReminderTarget, reminderKeyboard, reminderRoute } from "../../messages/reminders.ts";
import type { BotContext } from "../context.ts";
import { answer } from "../menu.ts";

type Ctx = BotContext & { match: RegExpMatchArray };

/** Redraws the buttons of the reminder pressed; the same buttons again is no change. */
async function setButtons(ctx: BotContext, markup: InlineKeyboardMarkup): Promise<void> {
  await ctx.editMessageReplyMarkup({ reply_markup: markup }).catch(() => undefined);
}

/** Takes the buttons off the message pressed, so an answered reminder cannot be pressed twice. */
async function clearButtons(ctx: BotContext): Promise<void> {
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
}

async function onPress(ctx: Ctx): Promise<void> {
  const [action, sessionId, personId] = reminderRoute.read(ctx.match);
  const { db, clock, config } = ctx.deps;
  const now = clock.now();
  const target = loadReminderTarget(db, sessionId, personId);
  // Only the account that looks after this participant may answer for them.
  if (!target || !ctx.account || target.accountId !== ctx.account.id)
    return answer(ctx, ctx.t("common:stale"), true);
  const course = target.courseTitle[ctx.locale] || target.courseTitle.zh;
  const t = (key: string, extra: Record<string, unknown> = {}) =>
    ctx.t(`notify:reminder.${key}`, { course, name: target.personName, ...extra });

  if (target.enrolmentStatus !== "enrolled" || target.enrolmentId === null) {
    await answer(ctx, t(target.enrolmentStatus === "cancelled" ? "alreadyDropped" : "notEnrolled"), true);
    return clearButtons(ctx);
  }
  const started = Date.parse(target.startsAt) <= now.getTime();
  const gone = target.sessionStatus !== "scheduled";

  // One response per press: a toast, with the reminder's buttons changed in place.
  switch (action) {
    case "y":
      if (gone || started) return answer(ctx, t(gone ? "gone" : "started"), true);
      return answer(ctx, t("coming"));
    case "c":
      if (gone || started) return answer(ctx, t(gone ? "gone" : "started"), true);
      if (target.attendance !== "excused")
        recordAttendance(
          db,
          { sessionId, personId, status: "excused", source: "reminder", by: ctx.account.id },
          now,
        );
      await answer(ctx, ctx.t("resident:reminder.excused", { course, name: target.personName }));
      await setButtons(ctx, reminderKeyboard(ctx, sessionId, personId, true));
      return;
    case "u":
      if (gone || started) return answer(ctx, t(gone ? "gone" : "started"), true);
      withdrawExcuse(db, sessionId, personId);
      await answer(ctx, ctx.t("resident:reminder.undone", { course, name: target.personName }));
      await setButtons(ctx, reminderKeyboard(ctx, sessionId, personId, false));
      return;
    case "d": {
      await answer(ctx);
      const kb = new InlineKeyboard()
        .text(t("dropYes"), reminderRoute.data("D", sessionId, personId))
        .row()
        .text(t("dropNo"), reminderRoute.data("k", sessionId, personId));
      await ctx.reply(t(target.isSelf ? "dropAsk" : "dropAskFor"), { reply_markup: kb });
      return;
    }
    case "D": {
      const result = cancelEnrolment(
        db,
        { enrolmentId: target.enrolmentId, accountId: ctx.account.id },
        now,
        { offerHours: config.offerHours },
      );
      const key =
        result.kind === "cancelled"
          ? "dropped"
          : result.kind === "alreadyCancelled"
            ? "alreadyDropped"
            : null;
      if (!key) return answer(ctx, ctx.t("common:stale"), true);
      ctx.log.info({ sessionId, personId, result: result.kind }, "dropped a course from a reminder");
      await answer(ctx);
      await ctx.editMessageText(t(key)).catch(() => ctx.reply(t(key)));
      return;
    }
    case "k":
      await answer(ctx);
      await ctx.editMessageText(t("kept")).catch(() => ctx.reply(t("kept")));
      return;
  }
}

/** The buttons under a class reminder: coming, can't come this time, drop the course. */
export function createReminders(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType("private").callbackQuery(reminderRoute.pattern, (ctx) => onPress(ctx as unknown as Ctx));
  return composer;
}
