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
import { pick } from "../../i18n/bilingual.ts";
import { showScreen } from "../views/screen.ts";
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

/** Answers the pressed button, then shows the screen (see showScreen). */
export async function show(
  ctx: BotContext | ConvContext,
  text: string,
  keyboard?: InlineKeyboard,
): Promise<void> {
  await answer(ctx);
  await showScreen(ctx, { text, keyboard });
}

/** A course title in the reader's language. */
export const courseTitle = (
  ctx: BotContext | ConvContext,
  c: { title_zh: string; title_en: string },
): string => pick({ zh: c.title_zh, en: c.title_en }, ctx.locale);

/** A site name in the reader's language. */
export const siteName = (ctx: BotContext | ConvContext, s: { name_zh: string; name_en: string }): string =>
  pick({ zh: s.name_zh, en: s.name_en }, ctx.locale);

/** A button label with user text, unescaped (labels are not HTML) and cut to fit. */
export function label(text: string, max = BUTTON_MAX): string {
  return cutText(text, max);
}
