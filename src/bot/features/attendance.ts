/**
 * /attendance: choose a recent session, tap people present or absent, save once; and the
 * session's check-in QR code to show in the classroom.
 * Callback data: att:l · att:s:<sessionId> · att:t:<sessionId>:<hash>:<index>:<mask>
 * · att:v:<sessionId>:<hash>:<mask> · att:q:<sessionId>. The marks live in the data (see
 * src/staff/attendance-sheet.ts); every press re-checks the caller's right to the course.
 */
import { Composer, InlineKeyboard, InputFile } from "grammy";
import { DAY } from "../../clock.ts";
import { formatDateTime } from "../../i18n/format.ts";
import { canTakeAttendance, rosterCourseFilter } from "../../staff/access.ts";
import type { SheetSession } from "../../staff/attendance-sheet.ts";
import {
  decodeMask,
  encodeMask,
  isPresent,
  listHash,
  maskOf,
  recentSessions,
  saveSheet,
  sheetEntries,
  sheetSession,
  toggle,
} from "../../staff/attendance-sheet.ts";
import { startOfLocalDay } from "../../time.ts";
import type { BotContext } from "../context.ts";
import { answer, cb } from "../menu.ts";
import { courseTitle, label, refuse, requireAnyRole, show } from "./staff-guard.ts";

/** Callback data of a toggle holds the whole mask; past this many people it would not fit in 64 bytes. */
const MAX_PEOPLE = 150;

async function listSessions(ctx: BotContext): Promise<void> {
  if (!(await requireAnyRole(ctx))) return;
  const { db, clock, config } = ctx.deps;
  const now = clock.now();
  const f = rosterCourseFilter(db, ctx.account!.id);
  const to = new Date(startOfLocalDay(now, config.timezone).getTime() + DAY);
  const sessions = recentSessions(db, f.where, f.params, new Date(now.getTime() - 7 * DAY), to);
  if (sessions.length === 0) {
    await show(ctx, ctx.t("staff:attendance.none"), new InlineKeyboard().text(ctx.t("common:back"), "stf:m"));
    return;
  }
  const kb = new InlineKeyboard();
  for (const s of sessions) {
    kb.text(
      `${formatDateTime(s.starts_at, ctx.locale, config.timezone)} ${label(courseTitle(ctx, s), 30)}`,
      `att:s:${s.id}`,
    ).row();
  }
  await show(ctx, ctx.t("staff:attendance.choose"), kb.text(ctx.t("common:back"), "stf:m"));
}

/** Loads the session if the caller may take its attendance; refuses otherwise. */
async function gate(ctx: BotContext, sessionId: number): Promise<SheetSession | undefined> {
  const session = sheetSession(ctx.deps.db, sessionId);
  if (!session || !ctx.account || !canTakeAttendance(ctx.deps.db, ctx.account.id, session.course_id)) {
    await refuse(ctx);
    return undefined;
  }
  return session;
}

async function renderSheet(
  ctx: BotContext,
  session: SheetSession,
  mask?: bigint,
  note?: string,
): Promise<void> {
  const entries = sheetEntries(ctx.deps.db, session.id);
  if (entries.length > MAX_PEOPLE) {
    await show(ctx, ctx.t("staff:attendance.tooMany", { n: entries.length }));
    return;
  }
  const m = mask ?? maskOf(entries);
  const h = listHash(entries);
  const kb = new InlineKeyboard();
  entries.forEach((e, i) => {
    kb.text(
      `${isPresent(m, i) ? "✅" : "⬜"} ${label(e.name, 30)}`,
      cb("att", "t", session.id, h, i, encodeMask(m)),
    ).row();
  });
  kb.text(ctx.t("staff:attendance.save"), cb("att", "v", session.id, h, encodeMask(m))).row();
  kb.text(ctx.t("staff:attendance.qr"), cb("att", "q", session.id)).text(ctx.t("common:back"), "att:l");
  const present = entries.filter((_, i) => isPresent(m, i)).length;
  const when = formatDateTime(session.starts_at, ctx.locale, ctx.deps.config.timezone);
  const text = [
    ctx.t("staff:attendance.sheet", {
      title: courseTitle(ctx, session),
      when,
      present,
      total: entries.length,
    }),
    entries.length === 0 ? ctx.t("staff:attendance.empty") : ctx.t("staff:attendance.hint"),
    ...(note ? [note] : []),
  ].join("\n");
  await show(ctx, text, kb);
}

async function openSheet(ctx: BotContext, sessionId: number): Promise<void> {
  const session = await gate(ctx, sessionId);
  if (session) await renderSheet(ctx, session);
}

async function toggleMark(
  ctx: BotContext,
  sessionId: number,
  hash: string,
  index: number,
  rawMask: string,
): Promise<void> {
  const session = await gate(ctx, sessionId);
  if (!session) return;
  const entries = sheetEntries(ctx.deps.db, sessionId);
  const mask = decodeMask(rawMask);
  if (mask === undefined || listHash(entries) !== hash || index >= entries.length) {
    await renderSheet(ctx, session, undefined, ctx.t("staff:attendance.changed"));
    return;
  }
  await renderSheet(ctx, session, toggle(mask, index));
}

async function save(ctx: BotContext, sessionId: number, hash: string, rawMask: string): Promise<void> {
  const session = await gate(ctx, sessionId);
  if (!session) return;
  const { db, clock } = ctx.deps;
  const entries = sheetEntries(db, sessionId);
  const mask = decodeMask(rawMask);
  if (mask === undefined || listHash(entries) !== hash) {
    await renderSheet(ctx, session, undefined, ctx.t("staff:attendance.changed"));
    return;
  }
  const r = saveSheet(db, sessionId, entries, mask, ctx.account!.id, clock.now());
  await show(
    ctx,
    ctx.t("staff:attendance.saved", {
      title: courseTitle(ctx, session),
      present: r.present,
      absent: r.absent,
    }),
    new InlineKeyboard()
      .text(ctx.t("staff:attendance.reopen"), cb("att", "s", sessionId))
      .text(ctx.t("common:back"), "att:l"),
  );
}

async function sendQr(ctx: BotContext, sessionId: number): Promise<void> {
  const session = await gate(ctx, sessionId);
  if (!session) return;
  await answer(ctx);
  const link = `https://t.me/${ctx.me.username}?start=ci_${session.checkin_code}`;
  const { default: QRCode } = await import("qrcode");
  const png = await QRCode.toBuffer(link, { type: "png", width: 720, margin: 2, errorCorrectionLevel: "M" });
  await ctx.replyWithPhoto(new InputFile(png, `checkin-${sessionId}.png`), {
    caption: ctx.t("staff:attendance.qrCaption", {
      title: courseTitle(ctx, session),
      code: session.checkin_code,
      link,
    }),
    parse_mode: "HTML",
  });
}

export function createAttendance(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType("private").command("attendance", listSessions);
  composer.callbackQuery("att:l", listSessions);
  composer.callbackQuery(/^att:s:(\d+)$/, (ctx) => openSheet(ctx, Number(ctx.match[1])));
  composer.callbackQuery(/^att:t:(\d+):(\w{4}):(\d+):(\w+)$/, (ctx) =>
    toggleMark(ctx, Number(ctx.match[1]), ctx.match[2]!, Number(ctx.match[3]), ctx.match[4]!),
  );
  composer.callbackQuery(/^att:v:(\d+):(\w{4}):(\w+)$/, (ctx) =>
    save(ctx, Number(ctx.match[1]), ctx.match[2]!, ctx.match[3]!),
  );
  composer.callbackQuery(/^att:q:(\d+)$/, (ctx) => sendQr(ctx, Number(ctx.match[1])));
  return composer;
}
