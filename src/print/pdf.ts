/**
 * Printable documents (posters, certificates, review summaries) as PDF: A4, with the Noto Sans SC
 * font shipped by @embedpdf/fonts-sc embedded as a subset, so Chinese prints and stays selectable.
 * The font has no emoji glyphs; `printable` removes them rather than print empty boxes.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import PDFDocument from "pdfkit";

/** A4 in PDF points, and 10 mm in points. */
export const A4 = { width: 595.28, height: 841.89 } as const;
export const MM = 72 / 25.4;

/** The family name inside the NotoSansHans .otf files (for SVG drawn with resvg). */
export const CJK_FONT_FAMILY = "Noto Sans S Chinese";

let fontDir: string | undefined;

/** A font file of the Noto Sans SC family: Regular or Bold. */
export function cjkFontFile(weight: "Regular" | "Bold" = "Regular"): string {
  if (!fontDir) {
    const main = createRequire(import.meta.url).resolve("@embedpdf/fonts-sc");
    fontDir = join(dirname(main), "..", "fonts");
  }
  return join(fontDir, `NotoSansHans-${weight}.otf`);
}

/** Text the embedded font can draw: emoji and other pictographs removed, spaces tidied. */
export function printable(text: string): string {
  return text
    .replace(/\p{Extended_Pictographic}|[\u{1F1E6}-\u{1F1FF}]|[\u{1F3FB}-\u{1F3FF}]|\u200D|\uFE0F/gu, "")
    .replace(/[ \t]{2,}/g, " ")
    .trim();
}

export type PdfDoc = InstanceType<typeof PDFDocument>;

/**
 * Draws one document and returns its bytes. Inside `draw`, the fonts "sc" and "sc-bold" are
 * registered and "sc" is selected; margins default to 10 mm.
 */
export async function renderPdf(
  draw: (doc: PdfDoc) => void,
  options: { margin?: number; title?: string } = {},
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margin: options.margin ?? 10 * MM,
    info: options.title ? { Title: options.title } : {},
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on("end", () => resolve());
    doc.on("error", reject);
  });
  doc.registerFont("sc", cjkFontFile("Regular"));
  doc.registerFont("sc-bold", cjkFontFile("Bold"));
  doc.font("sc");
  draw(doc);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
