/**
 * The volunteer's door (menu button, /volunteer): sign up, see one's status, pause, resume or
 * leave; and staff's side: approve or decline applications, list volunteers (/volunteers).
 * Every staff button is checked against the database on each press.
 */
import { Composer, InlineKeyboard } from "grammy";
import { DAY_SLOTS, WEEKDAYS } from "../../catalog/codes.ts";
import { isStaff } from "../../people/roles.ts";
import { volunteerCard } from "../../messages/volunteer-format.ts";
import { withdrawFromShift } from "../../volunteers/shifts.ts";
import { skillList } from "../../volunteers/skills.ts";
import type { VolunteerFilter, VolunteerStatus } from "../../volunteers/volunteers.ts";
import {
  changeVolunteerStatus,
  decideVolunteer,
  getVolunteer,
  listVolunteers,
  volunteerCounts,
} from "../../volunteers/volunteers.ts";
import type { BotContext } from "../context.ts";
import { colon } from "../labels.ts";
import { volunteerRoutes } from "../../messages/volunteers.ts";
import { answer, onMenuEntry } from "../menu.ts";
import { fitMessage } from "../../telegram-html.ts";

const STATUSES: VolunteerStatus[] = ["pending", "approved", "paused", "declined", "left"];

/** What a person sees on the volunteer button: an invitation, or their status and options. */
async function showVolunteerHome(ctx: BotContext): Promise<void> {
  if (!ctx.account) return;
  const v = getVolunteer(ctx.deps.db, ctx.account.id);
  if (!v || v.status === "declined" || v.status === "left") {
    const kb = new InlineKeyboard().text(ctx.t("volunteer:home.join"), volunteerRoutes.join.data());
    await ctx.reply(ctx.t(v ? "volunteer:home.again" : "volunteer:home.intro"), {
      parse_mode: "HTML",
      reply_markup: kb,
    });
    return;
  }
  const kb = new InlineKeyboard();
  if (v.status === "approved")
    kb.text(ctx.t("volunteer:home.myShifts"), volunteerRoutes.myShifts.data())
      .row()
      .text(ctx.t("volunteer:home.pause"), volunteerRoutes.pauseResume.data("pause"))
      .row();
  if (v.status === "paused")
    kb.text(ctx.t("volunteer:home.resume"), volunteerRoutes.pauseResume.data("resume")).row();
  kb.text(ctx.t("volunteer:home.leave"), volunteerRoutes.leave.data());
  await ctx.reply(
    `${ctx.t(`volunteer:home.status.${v.status}`)}\n\n${volunteerCard(ctx.deps.config, ctx.t, ctx.locale, v)}`,
    {
      parse_mode: "HTML",
      reply_markup: kb,
    },
  );
}

/** The staff list: counts, pending applications with buttons, and filters. */
async function showStaffList(ctx: BotContext, filter: VolunteerFilter | null): Promise<void> {
  const { db, config } = ctx.deps;
  if (!filter) {
    const counts = volunteerCounts(db);
    const summary = STATUSES.map(
      (s) => `${ctx.t(`volunteer:status.${s}`)}${colon(ctx.locale)}${counts[s]}`,
    ).join("\n");
    const kb = new InlineKeyboard();
    for (const s of STATUSES.slice(0, 3))
      kb.text(ctx.t(`volunteer:status.${s}`), volunteerRoutes.listBy.data("s", s));
    kb.row();
    skillList(config, ctx.log).forEach((s, i) => {
      kb.text(s[ctx.locale], volunteerRoutes.listBy.data("k", s.code));
      if (i % 3 === 2) kb.row();
    });
    kb.row();
    WEEKDAYS.forEach((d, i) => {
      kb.text(ctx.t(`codes:weekday.${d}`), volunteerRoutes.listBy.data("d", String(i)));
    });
    await ctx.reply(
      `${ctx.t("volunteer:staff.listTitle")}\n${summary}\n\n${ctx.t("volunteer:staff.filterHint")}`,
      {
        parse_mode: "HTML",
        reply_markup: kb,
      },
    );
    for (const v of listVolunteers(db, { status: "pending" }, 10)) {
      await ctx.reply(
        `${ctx.t("volunteer:staff.newApplication")}\n\n${volunteerCard(config, ctx.t, ctx.locale, v)}`,
        {
          parse_mode: "HTML",
          reply_markup: new InlineKeyboard()
            .text(ctx.t("volunteer:staff.approve"), volunteerRoutes.approve.data("ok", v.userId))
            .text(ctx.t("volunteer:staff.decline"), volunteerRoutes.approve.data("no", v.userId)),
        },
      );
    }
    return;
  }
  const found = listVolunteers(db, filter, 30);
  const text = found.length
    ? found.map((v) => volunteerCard(config, ctx.t, ctx.locale, v)).join("\n\n")
    : ctx.t("volunteer:staff.noneFound");
  await ctx.reply(fitMessage(text), { parse_mode: "HTML" });
}

export function createVolunteersFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const pm = feature.chatType("private");

  onMenuEntry(pm, "volunteer", "volunteer", (ctx) => showVolunteerHome(ctx));

  pm.callbackQuery(volunteerRoutes.join.pattern, async (ctx) => {
    await answer(ctx);
    await ctx.conversation.enter("volunteer-signup");
  });

  pm.callbackQuery(volunteerRoutes.pauseResume.pattern, async (ctx) => {
    if (!ctx.account) return answer(ctx);
    const [change] = volunteerRoutes.pauseResume.read(ctx.match);
    const r = changeVolunteerStatus(ctx.deps.db, ctx.account.id, change, ctx.deps.clock.now());
    await answer(ctx, r.ok ? undefined : ctx.t("common:stale"), !r.ok);
    if (r.ok)
      await ctx
        .editMessageText(ctx.t(`volunteer:home.${change}d`))
        .catch(() => ctx.reply(ctx.t(`volunteer:home.${change}d`)));
  });

  pm.callbackQuery(volunteerRoutes.leave.pattern, async (ctx) => {
    await answer(ctx);
    await ctx.reply(ctx.t("volunteer:home.leaveConfirm"), {
      reply_markup: new InlineKeyboard()
        .text(ctx.t("volunteer:home.leaveYes"), volunteerRoutes.leaveAnswer.data("y"))
        .text(ctx.t("volunteer:home.leaveNo"), volunteerRoutes.leaveAnswer.data("n")),
    });
  });
  pm.callbackQuery(volunteerRoutes.leaveAnswer.pattern, async (ctx) => {
    if (!ctx.account) return answer(ctx);
    if (volunteerRoutes.leaveAnswer.read(ctx.match)[0] === "n") {
      await answer(ctx);
      await ctx.editMessageText(ctx.t("volunteer:home.stayed")).catch(() => undefined);
      return;
    }
    const { db, clock, config } = ctx.deps;
    const now = clock.now();
    const r = changeVolunteerStatus(db, ctx.account.id, "leave", now);
    if (!r.ok) return answer(ctx, ctx.t("common:stale"), true);
    // Their upcoming shifts reopen and are offered to others.
    for (const shiftId of r.withdrawn) withdrawFromShift(db, ctx.account.id, shiftId, config.timezone, now);
    await answer(ctx);
    await ctx
      .editMessageText(ctx.t("volunteer:home.left"))
      .catch(() => ctx.reply(ctx.t("volunteer:home.left")));
  });

  // Staff decide an application. Role read from the database on every press.
  pm.callbackQuery(volunteerRoutes.approve.pattern, async (ctx) => {
    if (!ctx.account || !isStaff(ctx.deps.db, ctx.account.id))
      return answer(ctx, ctx.t("volunteer:staffOnly"), true);
    const [decision, userId] = volunteerRoutes.approve.read(ctx.match);
    const approve = decision === "ok";
    const r = decideVolunteer(ctx.deps.db, ctx.account.id, userId, approve, ctx.deps.clock.now());
    if (!r.ok) {
      const key =
        r.reason === "decided"
          ? "volunteer:staff.alreadyDecided"
          : r.reason === "forbidden"
            ? "volunteer:staffOnly"
            : "common:stale";
      return answer(ctx, ctx.t(key, { status: r.status ? ctx.t(`volunteer:status.${r.status}`) : "" }), true);
    }
    await answer(ctx);
    const done = ctx.t(approve ? "volunteer:staff.approvedBy" : "volunteer:staff.declinedBy", {
      name: r.volunteer.name,
    });
    await ctx
      .editMessageText(done, { parse_mode: "HTML" })
      .catch(() => ctx.reply(done, { parse_mode: "HTML" }));
  });

  pm.command("volunteers", async (ctx) => {
    if (!ctx.account || !isStaff(ctx.deps.db, ctx.account.id))
      return void (await ctx.reply(ctx.t("volunteer:staffOnly")));
    await showStaffList(ctx, null);
  });
  pm.callbackQuery(volunteerRoutes.list.pattern, async (ctx) => {
    if (!ctx.account || !isStaff(ctx.deps.db, ctx.account.id))
      return answer(ctx, ctx.t("volunteer:staffOnly"), true);
    await answer(ctx);
    await showStaffList(ctx, null);
  });
  pm.callbackQuery(volunteerRoutes.listBy.pattern, async (ctx) => {
    if (!ctx.account || !isStaff(ctx.deps.db, ctx.account.id))
      return answer(ctx, ctx.t("volunteer:staffOnly"), true);
    await answer(ctx);
    const [kind, value] = volunteerRoutes.listBy.read(ctx.match);
    const filter: VolunteerFilter =
      kind === "s"
        ? { status: STATUSES.includes(value as VolunteerStatus) ? (value as VolunteerStatus) : "approved" }
        : kind === "k"
          ? { skill: value, status: "approved" }
          : {
              availableMask: DAY_SLOTS.reduce((m, _s, i) => m | (1 << (Number(value) * 3 + i)), 0),
              status: "approved",
            };
    await showStaffList(ctx, filter);
  });

  return feature;
}
