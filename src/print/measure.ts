/**
 * Measuring text in the printed documents' font (Noto Sans SC): its width, lines that fit a
 * width (between words in English, anywhere in Chinese), one line cut with an ellipsis. Posters
 * and the half-year review's tables lay out text with these.
 */
import PDFDocument from "pdfkit";
import { graphemes } from "../text.ts";
import { cjkFontFile, printable } from "./pdf.ts";

let measurer: InstanceType<typeof PDFDocument> | undefined;

/** Width of `text` in points at `size`, in the poster's font. */
export function textWidth(text: string, size: number, bold = false): number {
  if (!measurer) {
    measurer = new PDFDocument({ autoFirstPage: false });
    measurer.registerFont("sc", cjkFontFile("Regular"));
    measurer.registerFont("sc-bold", cjkFontFile("Bold"));
  }
  return measurer
    .font(bold ? "sc-bold" : "sc")
    .fontSize(size)
    .widthOfString(text);
}

/** Breaks text into lines no wider than `width`: between words in English, anywhere in Chinese. */
export function wrap(text: string, size: number, width: number, bold = false, maxLines = 3): string[] {
  const tokens = printable(text).match(/[A-Za-z0-9'’.,:;!?()/&+\-–%]+|\s+|./gsu) ?? [];
  const lines: string[] = [];
  let line = "";
  const push = () => {
    if (line.trim()) lines.push(line.trim());
    line = "";
  };
  for (const token of tokens) {
    if (/^\s+$/.test(token)) {
      if (line) line += " ";
      continue;
    }
    if (textWidth(line + token, size, bold) <= width) {
      line += token;
      continue;
    }
    if (textWidth(token, size, bold) <= width) {
      push();
      line = token;
      continue;
    }
    // A word longer than the line: cut it by characters.
    for (const g of graphemes(token)) {
      if (textWidth(line + g, size, bold) > width) push();
      line += g;
    }
  }
  push();
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = fitLine(`${kept[maxLines - 1]}…`, size, width, bold);
  return kept;
}

/** One line: cut with an ellipsis when it does not fit. */
export function fitLine(text: string, size: number, width: number, bold = false): string {
  const clean = printable(text);
  if (textWidth(clean, size, bold) <= width) return clean;
  const chars = graphemes(clean);
  while (chars.length > 0 && textWidth(`${chars.join("")}…`, size, bold) > width) chars.pop();
  return `${chars.join("").trimEnd()}…`;
}
