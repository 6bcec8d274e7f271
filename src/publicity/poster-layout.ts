/**
 * Where everything on a poster goes, in PDF points on an A4 page with 10 mm margins. One layout
 * feeds both the PDF and the PNG, so the printed and the shared poster are the same picture.
 * Text is measured with the embedded font itself and wrapped here, not by either renderer.
 */
import QRCode from "qrcode";
import { fitLine, textWidth, wrap } from "../print/measure.ts";
import { A4, MM, printable } from "../print/pdf.ts";
import type { CoursePoster, Pair, Poster, SitePoster } from "./poster-content.ts";

export type LayoutItem =
  | { type: "text"; x: number; y: number; size: number; bold: boolean; color: string; text: string }
  | { type: "rect"; x: number; y: number; w: number; h: number; color: string }
  | { type: "qr"; x: number; y: number; size: number; modules: boolean[][] };

export interface PosterLayout {
  width: number;
  height: number;
  items: LayoutItem[];
  /** What the QR encodes. */
  link: string;
  /** The main title (zh), for the PDF's metadata. */
  title: string;
}

export const MARGIN = 10 * MM;
const INK = "#1a1a1a";
const SOFT = "#555555";
const BRAND = "#0b6e69";

/** The QR code's dark modules, row by row. Error correction M survives a crease or a smudge. */
export function qrModules(link: string): boolean[][] {
  const qr = QRCode.create(link, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.modules.get(r, c) === 1));
}

class Cursor {
  readonly items: LayoutItem[] = [];
  y = MARGIN;

  /** Lines of text from the current y; returns their height. */
  lines(
    lines: string[],
    opts: { x?: number; size: number; bold?: boolean; color?: string; lead?: number; center?: boolean },
  ): number {
    const lead = opts.lead ?? 1.3;
    const start = this.y;
    for (const text of lines) {
      const x = opts.center ? (A4.width - textWidth(text, opts.size, opts.bold)) / 2 : (opts.x ?? MARGIN);
      // y is the baseline: the font's ascent is 0.88 em.
      this.items.push({
        type: "text",
        x,
        y: this.y + opts.size * 0.88 + (lead - 1) * opts.size * 0.5,
        size: opts.size,
        bold: opts.bold ?? false,
        color: opts.color ?? INK,
        text,
      });
      this.y += opts.size * lead;
    }
    return this.y - start;
  }

  header(school: Pair): void {
    const h = 34;
    this.items.push({ type: "rect", x: MARGIN, y: MARGIN, w: A4.width - 2 * MARGIN, h, color: BRAND });
    const text = fitLine(`${school.zh}  ·  ${school.en}`, 14, A4.width - 2 * MARGIN - 24);
    this.items.push({
      type: "text",
      x: MARGIN + 12,
      y: MARGIN + 22,
      size: 14,
      bold: true,
      color: "#ffffff",
      text,
    });
    this.y = MARGIN + h + 18;
  }

  rule(): void {
    this.items.push({
      type: "rect",
      x: MARGIN,
      y: this.y,
      w: A4.width - 2 * MARGIN,
      h: 0.8,
      color: "#bbbbbb",
    });
    this.y += 10;
  }
}

const CONTENT = A4.width - 2 * MARGIN;

function courseLayout(p: CoursePoster): PosterLayout {
  const c = new Cursor();
  c.header(p.school);
  c.lines(wrap(p.title.zh, 34, CONTENT, true, 2), { size: 34, bold: true, lead: 1.25 });
  if (p.title.en !== p.title.zh)
    c.lines(wrap(p.title.en, 18, CONTENT, false, 2), { size: 18, color: "#333333" });
  c.y += 6;
  if (p.description.zh) c.lines(wrap(p.description.zh, 13, CONTENT, false, 3), { size: 13 });
  if (p.description.en) c.lines(wrap(p.description.en, 10.5, CONTENT, false, 3), { size: 10.5, color: SOFT });
  c.y += 6;
  c.rule();
  const labelW = 74;
  const valueX = MARGIN + labelW + 8;
  const valueW = CONTENT - labelW - 8;
  for (const f of p.facts) {
    const top = c.y;
    c.lines([fitLine(f.label.zh, 13, labelW, true)], { size: 13, bold: true, color: BRAND });
    c.lines([fitLine(f.label.en, 9, labelW)], { size: 9, color: SOFT });
    const labelEnd = c.y;
    c.y = top;
    c.lines(wrap(f.value.zh, 14, valueW, false, 2), { x: valueX, size: 14 });
    if (f.value.en && f.value.en !== f.value.zh) {
      c.lines(wrap(f.value.en, 10.5, valueW, false, 2), { x: valueX, size: 10.5, color: SOFT });
    }
    c.y = Math.max(c.y, labelEnd) + 6;
  }
  // The QR takes what is left, between a size a phone reads from a metre away and one that fits.
  const captionH = 13 * 1.3 * 2 + 10 * 1.3 * 2 + 9 * 1.3 + 6;
  const bottom = A4.height - MARGIN;
  const size = Math.max(140, Math.min(230, bottom - captionH - c.y - 10));
  c.y = Math.max(c.y + 6, bottom - captionH - size - 4);
  const modules = qrModules(p.link);
  c.items.push({ type: "qr", x: (A4.width - size) / 2, y: c.y, size, modules });
  c.y += size + 6;
  c.lines(wrap(p.scan.zh, 13, CONTENT, true, 2), { size: 13, bold: true, center: true });
  c.lines(wrap(p.scan.en, 10, CONTENT, false, 2), { size: 10, color: SOFT, center: true });
  c.lines([fitLine(p.link, 9, CONTENT)], { size: 9, color: SOFT, center: true });
  return { width: A4.width, height: A4.height, items: c.items, link: p.link, title: printable(p.title.zh) };
}

function siteLayout(p: SitePoster): PosterLayout {
  const c = new Cursor();
  c.header(p.school);
  const qrSize = 132;
  const textW = CONTENT - qrSize - 16;
  const top = c.y;
  c.lines(wrap(p.title.zh, 28, textW, true, 2), { size: 28, bold: true, lead: 1.25 });
  c.lines(wrap(p.title.en, 16, textW, false, 2), { size: 16, color: "#333333" });
  if (p.address.zh) c.lines([fitLine(p.address.zh, 11, textW)], { size: 11, color: SOFT });
  if (p.address.en && p.address.en !== p.address.zh)
    c.lines([fitLine(p.address.en, 9, textW)], { size: 9, color: SOFT });
  const qrX = A4.width - MARGIN - qrSize;
  c.items.push({ type: "qr", x: qrX, y: top - 4, size: qrSize, modules: qrModules(p.link) });
  const afterText = c.y;
  c.y = top - 4 + qrSize + 2;
  c.lines([fitLine(p.scan.zh, 9.5, qrSize + 10)], { x: qrX - 5, size: 9.5, bold: true });
  c.lines([fitLine(p.scan.en, 8, qrSize + 10)], { x: qrX - 5, size: 8, color: SOFT });
  c.y = Math.max(afterText, c.y) + 8;
  c.rule();
  const seatsW = 150;
  const titleW = CONTENT - seatsW - 8;
  for (const course of p.courses) {
    const rowTop = c.y;
    c.lines([fitLine(course.title.zh, 12, titleW, true)], { size: 12, bold: true });
    if (course.title.en !== course.title.zh)
      c.lines([fitLine(course.title.en, 9, titleW)], { size: 9, color: "#333333" });
    const when = [course.when.zh, course.when.en].filter(Boolean).join("  |  ");
    if (when) c.lines([fitLine(when, 8.5, titleW)], { size: 8.5, color: SOFT });
    const end = c.y;
    c.y = rowTop;
    const seatsX = MARGIN + CONTENT - seatsW;
    c.lines([fitLine(course.seats.zh, 11, seatsW)], { x: seatsX, size: 11, color: BRAND, bold: true });
    c.lines([fitLine(course.seats.en, 8.5, seatsW)], { x: seatsX, size: 8.5, color: SOFT });
    c.y = Math.max(end, c.y) + 3;
  }
  if (p.more) {
    c.y += 4;
    c.lines([fitLine(p.more.zh, 12, CONTENT, true)], { size: 12, bold: true, color: BRAND });
    c.lines([fitLine(p.more.en, 9.5, CONTENT)], { size: 9.5, color: SOFT });
  }
  return { width: A4.width, height: A4.height, items: c.items, link: p.link, title: printable(p.title.zh) };
}

/** The poster's layout: every item inside the 10 mm margins. */
export function layoutPoster(poster: Poster): PosterLayout {
  return poster.kind === "course" ? courseLayout(poster) : siteLayout(poster);
}
