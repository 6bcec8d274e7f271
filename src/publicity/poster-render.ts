/**
 * Draws a poster layout as a printable PDF (vector QR, selectable text) and as a PNG for chats
 * (SVG rasterised by resvg with the same font files, on a worker thread).
 */
import { cjkFontFile, renderPdf } from "../print/pdf.ts";
import type { LayoutItem, PosterLayout } from "./poster-layout.ts";

const FAMILY = "Noto Sans S Chinese";

/** Dark modules as horizontal runs: far fewer shapes than one square per module. */
function qrRuns(
  item: Extract<LayoutItem, { type: "qr" }>,
): Array<{ x: number; y: number; w: number; h: number }> {
  const n = item.modules.length;
  const unit = item.size / n;
  const runs: Array<{ x: number; y: number; w: number; h: number }> = [];
  item.modules.forEach((row, r) => {
    let c = 0;
    while (c < n) {
      if (!row[c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && row[c]) c++;
      runs.push({ x: item.x + start * unit, y: item.y + r * unit, w: (c - start) * unit, h: unit });
    }
  });
  return runs;
}

/** The poster as a one-page A4 PDF. */
export function posterPdf(layout: PosterLayout): Promise<Buffer> {
  return renderPdf(
    (doc) => {
      for (const item of layout.items) {
        if (item.type === "rect") doc.rect(item.x, item.y, item.w, item.h).fill(item.color);
        else if (item.type === "qr") {
          for (const r of qrRuns(item)) doc.rect(r.x, r.y, r.w + 0.05, r.h + 0.05);
          doc.fill("#000000");
        } else {
          doc
            .font(item.bold ? "sc-bold" : "sc")
            .fontSize(item.size)
            .fillColor(item.color)
            .text(item.text, item.x, item.y, { lineBreak: false, baseline: "alphabetic" });
        }
      }
    },
    { title: layout.title },
  );
}

const xml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The poster as SVG in PDF points. */
export function posterSvg(layout: PosterLayout): string {
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  ];
  for (const item of layout.items) {
    if (item.type === "rect") {
      parts.push(
        `<rect x="${item.x}" y="${item.y}" width="${item.w}" height="${item.h}" fill="${item.color}"/>`,
      );
    } else if (item.type === "qr") {
      const d = qrRuns(item)
        .map(
          (r) =>
            `M${r.x.toFixed(2)} ${r.y.toFixed(2)}h${r.w.toFixed(2)}v${r.h.toFixed(2)}h${(-r.w).toFixed(2)}z`,
        )
        .join("");
      parts.push(`<path d="${d}" fill="#000000" shape-rendering="crispEdges"/>`);
    } else {
      parts.push(
        `<text x="${item.x}" y="${item.y}" font-family="${FAMILY}" font-size="${item.size}" fill="${item.color}" xml:space="preserve">${xml(item.text)}</text>`,
      );
    }
  }
  parts.push("</svg>");
  return parts.join("\n");
}

/** The poster as PNG, `width` pixels wide (1240 is A4 at 150 dpi). */
export async function posterPng(layout: PosterLayout, width = 1240): Promise<Buffer> {
  const { renderAsync } = await import("@resvg/resvg-js");
  const image = await renderAsync(posterSvg(layout), {
    font: {
      // One face only: each font file costs resvg seconds of parsing and glyph lookup, and the
      // picture for a chat reads well without bold (the printed PDF has it).
      fontFiles: [cjkFontFile("Regular")],
      loadSystemFonts: false,
      defaultFontFamily: FAMILY,
    },
    fitTo: { mode: "width", value: width },
    background: "white",
  });
  return Buffer.from(image.asPng());
}
