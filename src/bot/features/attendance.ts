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
import { cbRoute, field } from "../../callback-data.ts";
import { staffRoutes } from "../../messages/staff-routes.ts";
import { answer } from "../menu.ts";
import { courseTitle, label, refuse, requireAnyRole, show } from "./staff-guard.ts";

/** Callback data of attendance: by session id; a sheet's buttons carry its list's hash and the marks so far. */
export const attendanceRoutes = {
  list: cbRoute("att:l"),
  sheet: cbRoute("att:s", field.id),
  /** Session, list hash, index of the person tapped, marks. */
  toggle: cbRoute("att:t", field.id, field.word, field.id, field.word),
  /** Session, list hash, marks. */
  save: cbRoute("att:v", field.id, field.word, field.word),
  qr: cbRoute("att:q", field.id),
};

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
    await show(
      ctx,
      ctx.t("staff:attendance.none"),
      new InlineKeyboard().text(ctx.t("common:back"), staffRoutes.menu.data()),
    );
    return;
  }
  const kb = new InlineKeyboard();
  for (const s of sessions) {
    kb.text(
      `${formatDateTime(s.starts_at, ctx.locale, config.timezone)} ${label(courseTitle(ctx, s), 30)}`,
      attendanceRoutes.sheet.data(s.id),
    ).row();
  }
  await show(ctx, ctx.t("staff:attendance.choose"), kb.text(ctx.t("common:back"), staffRoutes.menu.data()));
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
      attendanceRoutes.toggle.data(session.id, h, i, encodeMask(m)),
    ).row();
  });
  kb.text(ctx.t("staff:attendance.save"), attendanceRoutes.save.data(session.id, h, encodeMask(m))).row();
  kb.text(ctx.t("staff:attendance.qr"), attendanceRoutes.qr.data(session.id)).text(
    ctx.t("common:back"),
    attendanceRoutes.list.data(),
  );
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
      .text(ctx.t("staff:attendance.reopen"), attendanceRoutes.sheet.data(sessionId))
      .text(ctx.t("common:back"), attendanceRoutes.list.data()),
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
  composer.callbackQuery(attendanceRoutes.list.pattern, listSessions);
  composer.callbackQuery(attendanceRoutes.sheet.pattern, (ctx) =>
    openSheet(ctx, ...attendanceRoutes.sheet.read(ctx.match)),
  );
  composer.callbackQuery(attendanceRoutes.toggle.pattern, (ctx) =>
    toggleMark(ctx, ...attendanceRoutes.toggle.read(ctx.match)),
  );
  composer.callbackQuery(attendanceRoutes.save.pattern, (ctx) =>
    save(ctx, ...attendanceRoutes.save.read(ctx.match)),
  );
  composer.callbackQuery(attendanceRoutes.qr.pattern, (ctx) =>
    sendQr(ctx, ...attendanceRoutes.qr.read(ctx.match)),
  );
  return composer;
}
