/**
 * A certificate as a printable PDF (A4, through the shared PDF writer) and as a PNG for the
 * chat (an SVG drawn by resvg with the same CJK font). Both carry the verification code.
 */
import type { TFunction } from "i18next";
import { pick } from "../i18n/bilingual.ts";
import type { Locale } from "../i18n/index.ts";
import { A4, CJK_FONT_FAMILY, cjkFontFile, MM, printable, renderPdf } from "../print/pdf.ts";
import { localDate } from "../time.ts";
import type { Certificate } from "./issue.ts";

/**
 * The lines of a certificate, in the reader's language; user text as given, emoji removed. The
 * date is the school's calendar day (`timezone`): issued at 01:00 in Shanghai is that day, not
 * the day before as its UTC timestamp would say.
 */
export function certificateLines(
  t: TFunction,
  locale: Locale,
  c: Certificate,
  verifyLink: string,
  timezone: string,
) {
  const raw = { interpolation: { escapeValue: false } };
  const title = pick({ zh: c.titleZh, en: c.titleEn }, locale);
  const school = pick({ zh: c.schoolZh, en: c.schoolEn }, locale);
  return {
    heading: t(`certificates:doc.${c.kind}`, raw),
    name: printable(c.name),
    body: t(`certificates:doc.${c.kind}Body`, { title: printable(title), hours: c.hours, ...raw }),
    school: printable(school),
    date: localDate(new Date(c.issuedAt), timezone),
    code: t("certificates:doc.code", { code: c.code, ...raw }),
    verify: t("certificates:doc.verify", { link: verifyLink, ...raw }),
  };
}

/** The certificate as a one-page A4 PDF. */
export function certificatePdf(lines: ReturnType<typeof certificateLines>): Promise<Buffer> {
  return renderPdf(
    (doc) => {
      const w = A4.width - 40 * MM;
      doc
        .lineWidth(2)
        .rect(12 * MM, 12 * MM, A4.width - 24 * MM, A4.height - 24 * MM)
        .stroke("#8a6d3b");
      doc.moveDown(6);
      doc
        .font("sc-bold")
        .fontSize(34)
        .fillColor("#8a6d3b")
        .text(lines.heading, 20 * MM, 70 * MM, { width: w, align: "center" });
      doc.moveDown(2);
      doc.font("sc-bold").fontSize(26).fillColor("black").text(lines.name, { width: w, align: "center" });
      doc.moveDown(1.5);
      doc.font("sc").fontSize(16).text(lines.body, { width: w, align: "center" });
      doc.moveDown(4);
      doc.fontSize(16).text(lines.school, { width: w, align: "right" });
      doc.fontSize(14).text(lines.date, { width: w, align: "right" });
      doc
        .fontSize(10)
        .fillColor("#555555")
        .text(lines.code, 20 * MM, A4.height - 40 * MM, { width: w, align: "center" });
      doc.text(lines.verify, { width: w, align: "center" });
    },
    { title: lines.heading },
  );
}

const xml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The certificate as a PNG (landscape card), for the chat. */
export async function certificatePng(lines: ReturnType<typeof certificateLines>): Promise<Uint8Array> {
  const { renderAsync } = await import("@resvg/resvg-js");
  const text = (y: number, size: number, s: string, extra = "") =>
    `<text x="600" y="${y}" font-size="${size}" text-anchor="middle" ${extra}>${xml(s)}</text>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="850" font-family="${CJK_FONT_FAMILY}">
  <rect width="1200" height="850" fill="#fffdf5"/>
  <rect x="30" y="30" width="1140" height="790" fill="none" stroke="#8a6d3b" stroke-width="6"/>
  ${text(190, 64, lines.heading, 'fill="#8a6d3b" font-weight="bold"')}
  ${text(330, 56, lines.name, 'font-weight="bold"')}
  ${text(430, 30, lines.body)}
  ${text(580, 30, lines.school)}
  ${text(630, 26, lines.date)}
  ${text(740, 22, lines.code, 'fill="#555555"')}
  ${text(780, 18, lines.verify, 'fill="#555555"')}
</svg>`;
  const image = await renderAsync(svg, {
    font: {
      fontFiles: [cjkFontFile("Regular"), cjkFontFile("Bold")],
      loadSystemFonts: false,
      defaultFontFamily: CJK_FONT_FAMILY,
    },
    background: "white",
  });
  return new Uint8Array(image.asPng());
}
