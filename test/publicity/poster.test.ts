import { writeFileSync } from "node:fs";
import jsQRModule from "jsqr";
import { PDFParse } from "pdf-parse";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { importCatalogFile } from "../../src/catalog/import.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { MARGIN } from "../../src/publicity/poster-layout.ts";
import { layoutPoster } from "../../src/publicity/poster-layout.ts";
import { textWidth } from "../../src/print/measure.ts";
import { posterFor, makePosterByCode } from "../../src/publicity/posters.ts";
import { A4 } from "../../src/print/pdf.ts";

// jsqr is CommonJS whose module.exports is the function itself; its types describe an ES default.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;
const TZ = "Asia/Shanghai";
const NOW = new Date("2026-03-01T02:00:00.000Z");

function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

// Rasterising a page of Chinese text takes seconds, many more on a busy machine.
describe("posters", { timeout: 120_000 }, async () => {
  const i18n = await createI18n("zh");
  const db = openDatabase(":memory:");
  migrate(db);
  importCatalogFile(db, "data/catalog.yaml", { timezone: TZ, now: NOW });
  const env = { db, i18n, botUsername: "lifelong_test_bot", now: NOW, timezone: TZ };
  const course = db
    .prepare("SELECT id, code, title_zh FROM courses WHERE kind = 'course' ORDER BY id LIMIT 1")
    .get() as {
    id: number;
    code: string;
    title_zh: string;
  };

  it("a course poster is one A4 page with the title as text, and its QR opens the course", async () => {
    const files = await makePosterByCode(env, course.code);
    expect(files?.kind).toBe("course");
    const parsed = await new PDFParse({ data: new Uint8Array(files!.pdf) }).getText();
    expect(parsed.total).toBe(1);
    expect(parsed.text.replace(/\s+/g, "")).toContain(course.title_zh.replace(/\s+/g, ""));
    const info = await new PDFParse({ data: new Uint8Array(files!.pdf) }).getInfo();
    const page = info.pages?.[0] as { width?: number; height?: number } | undefined;
    if (page?.width) expect(Math.round(page.width)).toBe(Math.round(A4.width));
    expect(decodeQr(files!.png)).toBe(`https://t.me/lifelong_test_bot?start=c_${course.code}_p`);
    if (process.env.POSTER_OUT) writeFileSync(process.env.POSTER_OUT, files!.png);
  });

  it("a site poster lists at most 12 courses, fits the margins, and its QR opens the site's list", async () => {
    const site = db
      .prepare(
        "SELECT id, code FROM sites ORDER BY (SELECT COUNT(*) FROM courses c WHERE c.site_id = sites.id) DESC LIMIT 1",
      )
      .get() as { id: number; code: string };
    const poster = posterFor(env, { kind: "site", id: site.id });
    expect(poster?.kind).toBe("site");
    if (poster?.kind === "site") expect(poster.courses.length).toBeLessThanOrEqual(12);
    const layout = layoutPoster(poster!);
    for (const item of layout.items) {
      const right =
        item.type === "text"
          ? item.x + textWidth(item.text, item.size, item.bold)
          : item.type === "rect"
            ? item.x + item.w
            : item.x + item.size;
      const bottom =
        item.type === "text" ? item.y : item.type === "rect" ? item.y + item.h : item.y + item.size;
      expect(item.x).toBeGreaterThanOrEqual(MARGIN - 6);
      expect(right).toBeLessThanOrEqual(A4.width - MARGIN + 0.5);
      expect(bottom).toBeLessThanOrEqual(A4.height - MARGIN);
    }
    const files = await makePosterByCode(env, site.code);
    expect(decodeQr(files!.png)).toBe(`https://t.me/lifelong_test_bot?start=s_${site.code}_p`);
    const parsed = await new PDFParse({ data: new Uint8Array(files!.pdf) }).getText();
    expect(parsed.total).toBe(1);
    if (process.env.POSTER_OUT)
      writeFileSync(process.env.POSTER_OUT.replace(".png", "-site.png"), files!.png);
  });

  it("long titles and descriptions stay inside the page; an unknown code gives nothing", async () => {
    db.prepare(
      "UPDATE courses SET title_zh = ?, title_en = ?, description_zh = ?, description_en = ? WHERE id = ?",
    ).run("书法".repeat(60), "Calligraphy ".repeat(40), "描述".repeat(300), "Words ".repeat(300), course.id);
    const layout = layoutPoster(posterFor(env, { kind: "course", id: course.id })!);
    for (const item of layout.items) {
      if (item.type !== "text") continue;
      expect(item.x + textWidth(item.text, item.size, item.bold)).toBeLessThanOrEqual(
        A4.width - MARGIN + 0.5,
      );
      expect(item.y).toBeLessThanOrEqual(A4.height - MARGIN);
    }
    const qr = layout.items.find((i) => i.type === "qr");
    expect(qr?.type === "qr" && qr.size).toBeGreaterThanOrEqual(140);
    expect(await makePosterByCode(env, "no-such-code")).toBeUndefined();
  });
});
