/**
 * Shared by the staff features: role checks against the database on every use, and a reply
 * that edits the screen a button was on (or sends a new one for a command).
 */
import type { InlineKeyboard } from "grammy";
import type { StaffScope } from "../../staff/access.ts";
import { hasStaffAccess, isStaffScope, staffScope } from "../../staff/access.ts";
import type { BotContext, ConvContext } from "../context.ts";
import { BUTTON_MAX } from "../labels.ts";
import { answer } from "../menu.ts";
import { cutText } from "../../text.ts";

/** The caller's scope, read now. */
export function scopeOf(ctx: BotContext | ConvContext): StaffScope | undefined {
  return ctx.account ? staffScope(ctx.deps.db, ctx.account.id) : undefined;
}

/** Refuses politely (alert for a button, a message for a command); nothing else happens. */
export async function refuse(ctx: BotContext | ConvContext, key = "staff:denied"): Promise<void> {
  if (ctx.callbackQuery) await answer(ctx, ctx.t(key), true);
  else await ctx.reply(ctx.t(key));
}

/** True for admin or staff; otherwise refuses. */
export async function requireStaff(ctx: BotContext | ConvContext): Promise<boolean> {
  const scope = scopeOf(ctx);
  if (scope && isStaffScope(scope)) return true;
  await refuse(ctx);
  return false;
}

/** True for admin, staff or teacher; otherwise refuses. */
export async function requireAnyRole(ctx: BotContext | ConvContext): Promise<boolean> {
  const scope = scopeOf(ctx);
  if (scope && hasStaffAccess(scope)) return true;
  await refuse(ctx);
  return false;
}

/** True for admin; otherwise refuses. */
export async function requireAdmin(ctx: BotContext | ConvContext): Promise<boolean> {
  if (scopeOf(ctx)?.admin) return true;
  await refuse(ctx);
  return false;
}

/** Edits the message a button was pressed on, or replies when it was a command. */
export async function show(
  ctx: BotContext | ConvContext,
  text: string,
  keyboard?: InlineKeyboard,
): Promise<void> {
  const extra = { parse_mode: "HTML" as const, ...(keyboard ? { reply_markup: keyboard } : {}) };
  if (ctx.callbackQuery?.message) {
    await answer(ctx);
    try {
      await ctx.editMessageText(text, extra);
      return;
    } catch (err) {
      // "message is not modified" or too old to edit: fall through to a new message.
      ctx.log.debug({ err }, "edit failed, replying instead");
    }
  }
  await ctx.reply(text, extra);
}

/** A course title in the reader's language. */
export const courseTitle = (
  ctx: BotContext | ConvContext,
  c: { title_zh: string; title_en: string },
): string => (ctx.locale === "zh" ? c.title_zh : c.title_en);

/** A site name in the reader's language. */
export const siteName = (ctx: BotContext | ConvContext, s: { name_zh: string; name_en: string }): string =>
  ctx.locale === "zh" ? s.name_zh : s.name_en;

/** A button label with user text, unescaped (labels are not HTML) and cut to fit. */
export function label(text: string, max = BUTTON_MAX): string {
  return cutText(text, max);
}
