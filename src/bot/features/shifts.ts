/**
 * Shifts in chat: Accept / Decline on a ping, "I'll be there" / "I can't make it" on a reminder,
 * withdrawing, check-in by link (/start vs_<code>), /myshifts; for staff /newshift, /shifts and
 * /hours. Every press is re-checked against the current state by the domain.
 */
import { Composer, InlineKeyboard } from "grammy";
import { resolveLocale } from "../../i18n/index.ts";
import { getAccount } from "../../people/accounts.ts";
import { isStaff } from "../../people/roles.ts";
import { escapeHtml } from "../../telegram-html.ts";
import { shiftCard, shiftTitle, shiftWhen } from "../../messages/volunteer-format.ts";
import { filledPingMessages } from "../../volunteers/matching.ts";
import {
  adjustHours,
  checkInShift,
  hoursThisYear,
  myUpcomingShifts,
  respondToShift,
  withdrawFromShift,
} from "../../volunteers/shifts.ts";
import { ownAssignment, shiftRoster, upcomingShifts } from "../../volunteers/shifts-store.ts";
import { getVolunteer } from "../../volunteers/volunteers.ts";
import type { BotContext } from "../context.ts";
import { staffRoutes } from "../../messages/staff-routes.ts";
import { shiftRoutes, volunteerRoutes } from "../../messages/volunteers.ts";
import { answer } from "../menu.ts";
import { fitMessage } from "../../telegram-html.ts";

async function showMyShifts(ctx: BotContext): Promise<void> {
  if (!ctx.account) return;
  const { db, clock, config } = ctx.deps;
  const v = getVolunteer(db, ctx.account.id);
  if (!v || v.status === "left" || v.status === "declined") {
    await ctx.reply(ctx.t("volunteer:my.notVolunteer"));
    return;
  }
  const now = clock.now();
  const shifts = myUpcomingShifts(db, ctx.account.id, now);
  const hours = hoursThisYear(db, ctx.account.id, now, config.timezone);
  const head = ctx.t("volunteer:my.hours", { hours });
  if (shifts.length === 0) {
    await ctx.reply(`${head}\n\n${ctx.t("volunteer:my.none")}`, { parse_mode: "HTML" });
    return;
  }
  await ctx.reply(`${head}\n\n${ctx.t("volunteer:my.upcoming")}`, { parse_mode: "HTML" });
  for (const s of shifts.slice(0, 10)) {
    // A shift under way or checked in can no longer be dropped here (withdrawing would fail).
    const started = s.checkedIn || s.shift.startsAt <= now.toISOString();
    await ctx.reply(shiftCard(db, config, ctx.t, ctx.locale, s.shift), {
      parse_mode: "HTML",
      reply_markup: started
        ? undefined
        : new InlineKeyboard().text(ctx.t("volunteer:my.withdraw"), shiftRoutes.withdraw.data(s.shift.id)),
    });
  }
}

async function withdraw(ctx: BotContext, shiftId: number): Promise<void> {
  if (!ctx.account) return answer(ctx);
  const { db, clock, config } = ctx.deps;
  const r = withdrawFromShift(db, ctx.account.id, shiftId, config.timezone, clock.now());
  if (!r.ok) return answer(ctx, ctx.t(`volunteer:withdraw.failed.${r.reason}`), true);
  await answer(ctx);
  await ctx
    .editMessageText(ctx.t("volunteer:withdraw.done"))
    .catch(() => ctx.reply(ctx.t("volunteer:withdraw.done")));
}

/** Edits the ping messages of the others once a shift is full; best effort, a failed edit is harmless. */
async function markOthersFilled(ctx: BotContext, shiftId: number): Promise<void> {
  const { db, i18n, config } = ctx.deps;
  for (const m of filledPingMessages(db, shiftId)) {
    const account = getAccount(db, m.chatId);
    const t = i18n.getFixedT(resolveLocale(account?.locale, account?.languageCode, config.defaultLocale));
    await ctx.api
      .editMessageText(m.chatId, m.messageId, t("volunteer:ping.filledNotice"))
      .catch((err: unknown) => {
        ctx.log.debug({ err, chatId: m.chatId }, "could not mark a ping as filled");
      });
  }
}

export function createShiftsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const pm = feature.chatType("private");

  // Check-in by deep link; other /start payloads belong to other features.
  pm.command("start", async (ctx, next) => {
    if (!ctx.match.startsWith("vs_")) return next();
    if (!ctx.account) return;
    const r = checkInShift(ctx.deps.db, ctx.account.id, ctx.match.slice(3), ctx.deps.clock.now());
    if (!r.ok) return void (await ctx.reply(ctx.t(`volunteer:checkin.failed.${r.reason}`)));
    await ctx.reply(
      ctx.t(r.already ? "volunteer:checkin.already" : "volunteer:checkin.done", {
        title: shiftTitle(r.shift, ctx.locale),
        hours: r.hours,
      }),
      { parse_mode: "HTML" },
    );
  });

  pm.callbackQuery(shiftRoutes.answer.pattern, async (ctx) => {
    if (!ctx.account) return answer(ctx);
    const [action, shiftId] = shiftRoutes.answer.read(ctx.match);
    const accept = action === "a";
    const r = respondToShift(ctx.deps.db, ctx.account.id, shiftId, accept, ctx.deps.clock.now());
    if (!r.ok) {
      await answer(ctx, ctx.t(`volunteer:ping.failed.${r.reason}`), true);
      if (["full", "cancelled", "past"].includes(r.reason)) {
        // Replace the question too: a ping left asking "can you come?" without buttons confuses.
        await ctx.editMessageText(ctx.t(`volunteer:ping.failed.${r.reason}`)).catch(() => undefined);
      }
      return;
    }
    await answer(ctx);
    const { db, config } = ctx.deps;
    if (r.filled) await markOthersFilled(ctx, r.shift.id);
    const text = `${ctx.t(accept ? "volunteer:ping.accepted" : "volunteer:ping.declined")}\n\n${shiftCard(db, config, ctx.t, ctx.locale, r.shift)}`;
    await ctx
      .editMessageText(text, { parse_mode: "HTML" })
      .catch(() => ctx.reply(text, { parse_mode: "HTML" }));
  });

  pm.callbackQuery(shiftRoutes.withdraw.pattern, async (ctx) => {
    await answer(ctx);
    await ctx.reply(ctx.t("volunteer:withdraw.confirm"), {
      reply_markup: new InlineKeyboard().text(
        ctx.t("volunteer:withdraw.yes"),
        shiftRoutes.withdrawYes.data(...shiftRoutes.withdraw.read(ctx.match)),
      ),
    });
  });
  pm.callbackQuery(shiftRoutes.withdrawYes.pattern, (ctx) =>
    withdraw(ctx, ...shiftRoutes.withdrawYes.read(ctx.match)),
  );

  // Reminder answers, by assignment id: only one's own assignment counts.
  pm.callbackQuery(shiftRoutes.reminder.pattern, async (ctx) => {
    if (!ctx.account) return answer(ctx);
    const [action, assignmentId] = shiftRoutes.reminder.read(ctx.match);
    const a = ownAssignment(ctx.deps.db, assignmentId, ctx.account.id);
    if (a?.status !== "accepted") return answer(ctx, ctx.t("common:stale"), true);
    if (action === "n") return withdraw(ctx, a.shiftId);
    await answer(ctx, ctx.t("volunteer:reminder.thanks"));
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  });

  pm.command("myshifts", (ctx) => showMyShifts(ctx));
  pm.callbackQuery(volunteerRoutes.myShifts.pattern, async (ctx) => {
    await answer(ctx);
    await showMyShifts(ctx);
  });

  // Staff
  pm.command("newshift", async (ctx) => {
    if (!ctx.account || !isStaff(ctx.deps.db, ctx.account.id))
      return void (await ctx.reply(ctx.t("volunteer:staffOnly")));
    await ctx.conversation.enter("shift-create");
  });

  // Staff: from /shifts or the staff menu's button.
  const showShifts = async (ctx: BotContext) => {
    if (!ctx.account || !isStaff(ctx.deps.db, ctx.account.id)) {
      if (ctx.callbackQuery) return answer(ctx, ctx.t("volunteer:staffOnly"), true);
      return void (await ctx.reply(ctx.t("volunteer:staffOnly")));
    }
    await answer(ctx);
    const { db, clock, config } = ctx.deps;
    const shifts = upcomingShifts(db, clock.now(), 15);
    const kb = new InlineKeyboard()
      .text(ctx.t("volunteer:shifts.new"), shiftRoutes.add.data())
      .text(ctx.t("common:back"), staffRoutes.menu.data());
    if (shifts.length === 0)
      return void (await ctx.reply(ctx.t("volunteer:shifts.none"), { reply_markup: kb }));
    const blocks = shifts.map((s) => {
      const people = shiftRoster(db, s.id);
      const lines = people.map(
        (p) => `  #${p.assignmentId} ${escapeHtml(p.name)}${p.hours !== null ? ` · ${p.hours}h` : ""}`,
      );
      return [
        `<b>${escapeHtml(shiftTitle(s, ctx.locale))}</b> · ${escapeHtml(shiftWhen(s, ctx.locale, config.timezone))}`,
        ctx.t("volunteer:shifts.filled", {
          accepted: people.length,
          needed: s.needed,
          status: ctx.t(`volunteer:shiftStatus.${s.status}`),
        }),
        ctx.t("volunteer:shifts.checkinLink", {
          link: `https://t.me/${ctx.me.username}?start=vs_${s.checkinCode}`,
        }),
        ...lines,
      ].join("\n");
    });
    await ctx.reply(fitMessage(`${blocks.join("\n\n")}\n\n${ctx.t("volunteer:shifts.hoursHint")}`), {
      parse_mode: "HTML",
      reply_markup: kb,
    });
  };
  pm.command("shifts", showShifts);
  pm.callbackQuery(shiftRoutes.list.pattern, showShifts);
  pm.callbackQuery(shiftRoutes.add.pattern, async (ctx) => {
    if (!ctx.account || !isStaff(ctx.deps.db, ctx.account.id))
      return answer(ctx, ctx.t("volunteer:staffOnly"), true);
    await answer(ctx);
    await ctx.conversation.enter("shift-create");
  });

  pm.command("hours", async (ctx) => {
    if (!ctx.account || !isStaff(ctx.deps.db, ctx.account.id))
      return void (await ctx.reply(ctx.t("volunteer:staffOnly")));
    const m = /^#?(\d+)\s+(\d+(?:\.\d+)?)$/.exec(ctx.match.trim());
    if (!m) return void (await ctx.reply(ctx.t("volunteer:shifts.hoursHint"), { parse_mode: "HTML" }));
    const r = adjustHours(ctx.deps.db, ctx.account.id, Number(m[1]), Number(m[2]), ctx.deps.clock.now());
    await ctx.reply(
      ctx.t(r.ok ? "volunteer:shifts.hoursSet" : `volunteer:shifts.hoursFailed.${r.reason}`, {
        hours: Number(m[2]),
      }),
    );
  });

  return feature;
}
