/**
 * Messages of the volunteer feature. Each re-reads the current state at send time and returns
 * null when the message no longer makes sense (the volunteer was decided already, the shift
 * was filled or cancelled before the ping went out).
 */
import type { InlineKeyboardMarkup } from "grammy/types";
import { shiftCard, volunteerCard } from "./volunteer-format.ts";
import { getShift } from "../volunteers/shifts-store.ts";
import { getVolunteer } from "../volunteers/volunteers.ts";
import type { RenderContext, Template } from "../notify/template.ts";
import { cbRoute, field } from "../callback-data.ts";

/** Callback data of volunteering: a volunteer's own screens and staff's list and approval (by user id). */
export const volunteerRoutes = {
  join: cbRoute("vol:join"),
  pauseResume: cbRoute("vol", field.oneOf("pause", "resume")),
  leave: cbRoute("vol:leave"),
  leaveAnswer: cbRoute("vol:leave", field.oneOf("y", "n")),
  /** ok approves an application, no declines it. */
  approve: cbRoute("vol", field.oneOf("ok", "no"), field.id),
  myShifts: cbRoute("vol:my"),
  list: cbRoute("vol:l"),
  /** By status (s), skill (k) or weekday index (d). */
  listBy: cbRoute("vol:l", field.oneOf("s", "k", "d"), field.word),
};

/** Callback data of shifts: answers by shift id (a accept, d decline) or assignment id (y, n). */
export const shiftRoutes = {
  answer: cbRoute("shf", field.oneOf("a", "d"), field.id),
  withdraw: cbRoute("shf:w", field.id),
  withdrawYes: cbRoute("shf:wy", field.id),
  reminder: cbRoute("shf", field.oneOf("y", "n"), field.id),
  list: cbRoute("shf:l"),
  add: cbRoute("shf:new"),
};

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));
const keyboard = (rows: [string, string][][]): InlineKeyboardMarkup => ({
  inline_keyboard: rows.map((row) => row.map(([text, callback_data]) => ({ text, callback_data }))),
});

function card(ctx: RenderContext, shiftId: number) {
  const shift = getShift(ctx.db, shiftId);
  return shift ? { shift, text: shiftCard(ctx.db, ctx.config, ctx.t, ctx.locale, shift) } : undefined;
}

function assignment(ctx: RenderContext, shiftId: number, volunteerId: number) {
  return ctx.db
    .prepare("SELECT id, status FROM shift_assignments WHERE shift_id = ? AND volunteer_id = ?")
    .get(shiftId, volunteerId) as { id: number; status: string } | undefined;
}

export const VOLUNTEER_TEMPLATES: Record<string, Template> = {
  "volunteers.pending": (ctx, params) => {
    const v = getVolunteer(ctx.db, num(params.userId));
    if (v?.status !== "pending") return null;
    return {
      text: `${ctx.t("volunteer:staff.newApplication")}\n\n${volunteerCard(ctx.config, ctx.t, ctx.locale, v)}`,
      reply_markup: keyboard([
        [
          [ctx.t("volunteer:staff.approve"), volunteerRoutes.approve.data("ok", v.userId)],
          [ctx.t("volunteer:staff.decline"), volunteerRoutes.approve.data("no", v.userId)],
        ],
      ]),
    };
  },

  "volunteers.decided": (ctx, params) => ({
    text: ctx.t(params.approved ? "volunteer:decided.approved" : "volunteer:decided.declined"),
  }),

  "volunteers.shiftPing": (ctx, params) => {
    const shiftId = num(params.shiftId);
    const c = card(ctx, shiftId);
    const a = assignment(ctx, shiftId, num(params.volunteerId));
    if (
      !c ||
      !a ||
      a.status !== "pinged" ||
      c.shift.status !== "open" ||
      c.shift.startsAt <= ctx.now.toISOString()
    )
      return null;
    return {
      text: `${ctx.t("volunteer:ping.text")}\n\n${c.text}`,
      reply_markup: keyboard([
        [
          [ctx.t("volunteer:ping.accept"), shiftRoutes.answer.data("a", shiftId)],
          [ctx.t("volunteer:ping.decline"), shiftRoutes.answer.data("d", shiftId)],
        ],
      ]),
    };
  },

  "volunteers.shiftReminder": (ctx, params) => {
    const shiftId = num(params.shiftId);
    const c = card(ctx, shiftId);
    const a = ctx.db
      .prepare("SELECT status, checked_in_at FROM shift_assignments WHERE id = ?")
      .get(num(params.assignmentId)) as { status: string; checked_in_at: string | null } | undefined;
    if (!c || !a || a.status !== "accepted" || c.shift.status === "cancelled") return null;
    // Someone already there, or a shift already under way, needs no "see you in 2 hours".
    if (a.checked_in_at !== null || c.shift.startsAt <= ctx.now.toISOString()) return null;
    return {
      text: `${ctx.t("volunteer:reminder.text", { hours: num(params.lead) })}\n\n${c.text}`,
      reply_markup: keyboard([
        [
          [ctx.t("volunteer:reminder.yes"), shiftRoutes.reminder.data("y", num(params.assignmentId))],
          [ctx.t("volunteer:reminder.no"), shiftRoutes.reminder.data("n", num(params.assignmentId))],
        ],
      ]),
    };
  },

  "volunteers.shiftWithdrawn": (ctx, params) => {
    const c = card(ctx, num(params.shiftId));
    const v = getVolunteer(ctx.db, num(params.volunteerId));
    if (!c) return null;
    return { text: `${ctx.t("volunteer:staff.withdrawn", { name: v?.name ?? "?" })}\n\n${c.text}` };
  },

  "volunteers.shiftShort": (ctx, params) => {
    const c = card(ctx, num(params.shiftId));
    if (c?.shift.status !== "open") return null;
    const accepted = ctx.db
      .prepare("SELECT COUNT(*) FROM shift_assignments WHERE shift_id = ? AND status = 'accepted'")
      .pluck()
      .get(c.shift.id) as number;
    return {
      text: `${ctx.t("volunteer:staff.short", { accepted, needed: c.shift.needed, pinged: num(params.pinged) })}\n\n${c.text}`,
    };
  },

  "volunteers.shiftCancelled": (ctx, params) => {
    const c = card(ctx, num(params.shiftId));
    if (!c) return null;
    return { text: `${ctx.t("volunteer:shift.cancelledNotice")}\n\n${c.text}` };
  },
};
