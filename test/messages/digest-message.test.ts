import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { computeDigestFigures } from "../../src/reports/digest.ts";
import { digestMessages } from "../../src/messages/digest-message.ts";
import { NOW, seedFixture, TARGETS, TZ } from "../reports/fixture.ts";

function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = Buffer.from(bytes);
  expect(view.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(view.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
}

describe("digest messages", async () => {
  const i18n = await createI18n("zh");
  const db = openDatabase(":memory:");
  migrate(db);
  seedFixture(db);
  const figures = computeDigestFigures(db, { now: NOW, timezone: TZ, targets: TARGETS });

  it("renders text with buttons, a PNG chart and a spreadsheet that opens", async () => {
    const [text, photo, doc, next] = await digestMessages(i18n.getFixedT("zh"), "zh", figures);
    expect(text?.text).toContain("2026-11-23");
    expect(text?.text).toContain("受教育居民：4 / 2000");
    expect(text?.text).toContain("“很好” — 王秀兰");
    expect(text?.text).toContain("“太快了” — 匿名");
    expect(text?.text).not.toContain("李明"); // the anonymous rater
    // The actions sit on their own last message, so that using them never replaces the digest.
    expect(text?.reply_markup).toBeUndefined();
    const markup = next!.reply_markup as { inline_keyboard: { callback_data: string }[][] };
    const rows = markup.inline_keyboard.flat();
    expect(rows.map((b) => b.callback_data)).toContain("crm:c:2"); // B's long waitlist → more seats
    for (const b of rows) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);

    const size = pngSize(photo!.photo!.bytes);
    expect(size.width).toBeGreaterThan(600);
    expect(size.width).toBeLessThan(3000);
    expect(size.height).toBeGreaterThan(400);
    expect(size.height).toBeLessThan(3000);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(doc!.document!.bytes) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["目标", "每周", "课程", "评分", "需求"]);
    const targets = wb.getWorksheet("目标")!;
    expect(targets.getRow(2).values).toEqual([undefined, "受教育居民", 4, 2000]);
    const weekly = wb.getWorksheet("每周")!;
    expect(weekly.rowCount).toBe(9);
    expect(weekly.getRow(9).values).toEqual([undefined, "2026-11-23", 3, 6]);
    expect(wb.getWorksheet("课程")!.rowCount).toBe(1 + figures.fill.length);
  });

  it("renders in English too, and for a week with nothing in it", async () => {
    const quiet = computeDigestFigures(db, {
      now: new Date("2026-03-09T02:00:00.000Z"),
      timezone: TZ,
      targets: TARGETS,
    });
    const [text, photo] = await digestMessages(i18n.getFixedT("en"), "en", quiet);
    expect(text?.text).toContain("Weekly digest");
    expect(text?.text).toContain("No activity was recorded this week.");
    pngSize(photo!.photo!.bytes);
  });
});
