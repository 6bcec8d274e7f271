/**
 * Certificates in the chat: /certificates lists what the account's people and the volunteer
 * may have (a selected learning family's or team's certificate first), sends the PDF and PNG on a press (a health course only after a second, explicit
 * press); /start v_<code> verifies a certificate for anyone who holds one in their hands.
 */
import { Composer, InlineKeyboard, InputFile } from "grammy";
import {
  completionsOfAccount,
  issueCourseCertificate,
  issueVolunteerCertificate,
  selectionCertificateOf,
  selectionCertificatesOfAccount,
  verifyCertificate,
  volunteerHours,
} from "../../certificates/issue.ts";
import type { Certificate, IssueResult } from "../../certificates/issue.ts";
import { certificateLines, certificatePdf, certificatePng } from "../../certificates/render.ts";
import { localDate, localParts, zonedTimeToUtc } from "../../time.ts";
import { cutText } from "../../text.ts";
import type { BotContext } from "../context.ts";
import { pick } from "../../i18n/bilingual.ts";
import { certificateRoutes } from "../../messages/certificates.ts";
import { getVolunteer } from "../../volunteers/volunteers.ts";
import { answer } from "../menu.ts";
import { show } from "./staff-guard.ts";

const raw = { interpolation: { escapeValue: false } } as const;

function yearRange(ctx: BotContext) {
  const { clock, config } = ctx.deps;
  const year = localParts(clock.now(), config.timezone).year;
  return {
    year,
    from: zonedTimeToUtc(`${year}-01-01`, "00:00", config.timezone),
    to: zonedTimeToUtc(`${year + 1}-01-01`, "00:00", config.timezone),
  };
}

const verifyLink = (ctx: BotContext, code: string) => `https://t.me/${ctx.me.username}?start=v_${code}`;

async function sendCertificate(ctx: BotContext, c: Certificate): Promise<void> {
  const lines = certificateLines(ctx.t, ctx.locale, c, verifyLink(ctx, c.code), ctx.deps.config.timezone);
  const title = pick({ zh: c.titleZh, en: c.titleEn }, ctx.locale);
  const caption = ctx.t("certificates:caption", { title, code: c.code });
  await ctx.replyWithPhoto(new InputFile(await certificatePng(lines), `certificate-${c.code}.png`), {
    caption,
    parse_mode: "HTML",
  });
  await ctx.replyWithDocument(new InputFile(await certificatePdf(lines), `certificate-${c.code}.pdf`), {
    caption,
    parse_mode: "HTML",
  });
}

/** A second press on the same certificate within this time is a double tap, not a new request. */
const DOUBLE_TAP_MS = 20_000;

/**
 * When each chat was last sent each certificate, so that a double tap does not send the picture
 * and the PDF twice. Kept in memory: updates of one chat are handled one at a time, and after a
 * restart a repeated press simply sends the certificate again.
 */
class RecentSends {
  private readonly sent = new Map<string, number>();

  /** True (and remembered) when this chat was not sent this certificate just now. */
  take(chatId: number, code: string, now: number): boolean {
    const key = `${chatId}:${code}`;
    const last = this.sent.get(key);
    if (last !== undefined && now - last < DOUBLE_TAP_MS) return false;
    if (this.sent.size > 1000)
      for (const [k, at] of this.sent) if (now - at >= DOUBLE_TAP_MS) this.sent.delete(k);
    this.sent.set(key, now);
    return true;
  }
}

async function reply(ctx: BotContext, r: IssueResult, recent: RecentSends, askData?: string): Promise<void> {
  if (r.kind === "issued") {
    if (!recent.take(ctx.chat?.id ?? 0, r.certificate.code, ctx.deps.clock.now().getTime()))
      return answer(ctx, ctx.t("certificates:justSent"));
    await answer(ctx);
    return sendCertificate(ctx, r.certificate);
  }
  if (r.kind === "askFirst" && askData) {
    const kb = new InlineKeyboard().text(ctx.t("certificates:askYes"), askData);
    return show(ctx, ctx.t("certificates:askHealth"), kb);
  }
  if (r.kind === "notEligible" && r.completion) {
    const c = r.completion;
    return answer(
      ctx,
      ctx.t("certificates:notEligible", {
        present: c.present,
        held: c.held,
        required: Math.ceil(c.required * c.held - 1e-9),
        ...raw,
      }),
      true,
    );
  }
  return answer(ctx, ctx.t(r.kind === "noHours" ? "certificates:noHours" : "certificates:notYours"), true);
}

/** The v_ deep link: a plain answer, valid or not. */
export async function handleVerifyLink(ctx: BotContext, code: string): Promise<void> {
  const c = verifyCertificate(ctx.deps.db, code);
  if (!c) return void (await ctx.reply(ctx.t("certificates:unknown")));
  const selected = c.kind === "family" || c.kind === "team";
  await ctx.reply(
    ctx.t(selected ? "certificates:verifiedSelection" : "certificates:verified", {
      kind: ctx.t(`certificates:doc.${c.kind}`),
      name: c.name,
      title: pick({ zh: c.titleZh, en: c.titleEn }, ctx.locale),
      hours: c.hours,
      unit: ctx.t(c.kind === "course" ? "certificates:unit.course" : "certificates:unit.volunteer"),
      school: pick({ zh: c.schoolZh, en: c.schoolEn }, ctx.locale),
      date: localDate(new Date(c.issuedAt), ctx.deps.config.timezone),
    }),
    { parse_mode: "HTML" },
  );
}

export function createCertificatesFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");
  const recent = new RecentSends();

  pm.command("start", async (ctx, next) => {
    if (!ctx.match.startsWith("v_")) return next();
    await handleVerifyLink(ctx, ctx.match.slice(2));
  });

  pm.command("certificates", async (ctx) => {
    const { db, clock } = ctx.deps;
    const done = completionsOfAccount(db, ctx.from.id, clock.now());
    const y = yearRange(ctx);
    const isVolunteer = getVolunteer(db, ctx.from.id) !== undefined;
    const hours = isVolunteer ? volunteerHours(db, ctx.from.id, y.from, y.to) : 0;
    const selected = selectionCertificatesOfAccount(db, ctx.from.id);
    const kb = new InlineKeyboard();
    for (const c of selected.slice(0, 10)) {
      const title = pick({ zh: c.titleZh, en: c.titleEn }, ctx.locale);
      kb.text(
        cutText(ctx.t("certificates:selection", { title, name: c.name, ...raw }), 60),
        certificateRoutes.selection.data(c.id),
      );
      kb.row();
    }
    for (const c of done.slice(0, 30)) {
      const label = ctx.t("certificates:course", {
        name: c.name,
        title: pick({ zh: c.titleZh, en: c.titleEn }, ctx.locale),
        ...raw,
      });
      const note = c.healthRelated ? ` ${ctx.t("certificates:healthNote")}` : "";
      kb.text(cutText(label + note, 60), certificateRoutes.course.data(c.courseId, c.personId)).row();
    }
    if (hours > 0)
      kb.text(
        ctx.t("certificates:volunteer", { year: y.year, hours }),
        certificateRoutes.volunteer.data(y.year),
      ).row();
    if (done.length === 0 && hours === 0 && selected.length === 0)
      return void (await ctx.reply(ctx.t("certificates:none")));
    await ctx.reply(ctx.t("certificates:list"), { parse_mode: "HTML", reply_markup: kb });
  });

  pm.callbackQuery(certificateRoutes.course.pattern, async (ctx) => {
    const [courseId, personId, asked] = certificateRoutes.course.read(ctx.match);
    const r = issueCourseCertificate(
      ctx.deps.db,
      { accountId: ctx.from.id, personId, courseId, asked: asked === "a" },
      ctx.deps.clock.now(),
    );
    await reply(ctx, r, recent, certificateRoutes.course.data(courseId, personId, "a"));
  });

  pm.callbackQuery(certificateRoutes.selection.pattern, async (ctx) => {
    const [id] = certificateRoutes.selection.read(ctx.match);
    const c = selectionCertificateOf(ctx.deps.db, id, ctx.from.id);
    await reply(ctx, c ? { kind: "issued", certificate: c, isNew: false } : { kind: "notYours" }, recent);
  });

  pm.callbackQuery(certificateRoutes.volunteer.pattern, async (ctx) => {
    const y = yearRange(ctx);
    const [year] = certificateRoutes.volunteer.read(ctx.match);
    if (year !== y.year) return answer(ctx, ctx.t("common:stale"), true);
    const r = issueVolunteerCertificate(ctx.deps.db, { userId: ctx.from.id, ...y }, ctx.deps.clock.now());
    await reply(ctx, r, recent);
  });

  return composer;
}
