/**
 * The certificate of a selected learning family or team, as the outbox sends it: the picture with
 * a congratulation, then the printable PDF. Rendered at send time in the recipient's language.
 */
import { selectionCertificateFor } from "../certificates/issue.ts";
import { certificateLines, certificatePdf, certificatePng } from "../certificates/render.ts";
import { pick } from "../i18n/bilingual.ts";
import type { Template } from "../notify/template.ts";
import { CERTIFICATE_TEMPLATE } from "../selection/selection.ts";

export const SELECTION_TEMPLATES: Record<string, Template> = {
  /** params: selectionId, bot (the bot's username, for the verification link). */
  [CERTIFICATE_TEMPLATE]: async (ctx, params) => {
    const selectionId = Number(params.selectionId);
    if (!Number.isInteger(selectionId)) return null;
    // The certificate of someone of this chat's account; gone (e.g. after /forget): nothing to send.
    const c = selectionCertificateFor(ctx.db, selectionId, ctx.chatId);
    if (!c) return null;
    const bot = typeof params.bot === "string" && params.bot !== "" ? params.bot : ctx.config.botUsername;
    const link = bot ? `https://t.me/${bot}?start=v_${c.code}` : `/start v_${c.code}`;
    const lines = certificateLines(ctx.t, ctx.locale, c, link, ctx.config.timezone);
    const title = pick({ zh: c.titleZh, en: c.titleEn }, ctx.locale);
    const text = ctx.t(c.kind === "team" ? "selection:certificate.team" : "selection:certificate.family", {
      title,
      name: c.name,
      code: c.code,
    });
    const [png, pdf] = await Promise.all([certificatePng(lines), certificatePdf(lines)]);
    return [
      { text, photo: { bytes: png, filename: `certificate-${c.code}.png` } },
      {
        text: ctx.t("certificates:caption", { title, code: c.code }),
        document: { bytes: new Uint8Array(pdf), filename: `certificate-${c.code}.pdf` },
      },
    ];
  },
};
