/**
 * /review through the bot (the real bot, the Bot API emulator in process) and the 1 July job
 * through the outbox: the admin gets the chart, the spreadsheet and the PDF, others are refused.
 */
import { PDFParse } from "pdf-parse";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { runJobOnce } from "../../src/jobs/runner.ts";
import { silentLogger } from "../../src/logger.ts";
import { TEMPLATES } from "../../src/messages/index.ts";
import { createHarness, texts } from "../helpers/bot-harness.ts";
import { PNG_SIGNATURE } from "../helpers/svg.ts";
import { ADMIN, NOW, seedReviewFixture, STAFF } from "../review/fixture.ts";

async function harness(now: string) {
  const db = openDatabase(":memory:");
  migrate(db);
  seedReviewFixture(db);
  return createHarness({ db, now, config: { TIMEZONE: "Asia/Shanghai" } });
}

describe("/review", () => {
  it("sends an admin the chart, the spreadsheet and a PDF of at most two pages naming the targets", async () => {
    const h = await harness(NOW.toISOString());
    const admin = { id: ADMIN, first_name: "Admin", language_code: "zh" };
    const calls = await h.send(admin, "/review 2026H1");
    expect(h.refused).toEqual([]);
    const docs = h.state.messages(ADMIN).filter((m) => m.side === "bot" && m.document);
    expect(docs.map((m) => m.document?.file_name)).toEqual([
      "review-2026-h1.png",
      "review-2026-h1.xlsx",
      "review-2026-h1.pdf",
    ]);
    expect(calls.filter((c) => c.method === "sendDocument")).toHaveLength(3);
    expect(docs[0]!.caption).toContain("2026年上半年工作回顾");
    const png = new Uint8Array(h.state.files.get(docs[0]!.document!.file_id)!.data);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(PNG.sync.read(Buffer.from(png)).width).toBeGreaterThan(600);
    const pdf = h.state.files.get(docs[2]!.document!.file_id)!;
    const parsed = await new PDFParse({ data: new Uint8Array(pdf.data) }).getText();
    expect(parsed.total).toBeLessThanOrEqual(2);
    expect(parsed.text.replace(/\s+/g, "")).toContain("参加学习的居民");
  });

  it("refuses staff who are not admins, and a half it cannot read", async () => {
    const h = await harness(NOW.toISOString());
    const staff = { id: STAFF, first_name: "Staff", language_code: "zh" };
    const admin = { id: ADMIN, first_name: "Admin", language_code: "zh" };
    const refused = await h.send(staff, "/review");
    expect(refused.some((c) => c.method === "sendDocument")).toBe(false);
    expect(texts(refused).join("\n")).not.toContain("半年");
    const bad = await h.send(admin, "/review 2026H3");
    expect(texts(bad).join("\n")).toContain("/review 2026H1");
    expect(bad.some((c) => c.method === "sendDocument")).toBe(false);
  });
});

describe("the half-year review job", () => {
  it("queues the half just ended for each admin once on 1 July, and renders it", async () => {
    const h = await harness("2026-07-01T01:00:00.000Z");
    const deps = { db: h.db, config: h.deps.config, logger: silentLogger, clock: h.clock };
    const first = await runJobOnce(deps, "half-year-review");
    expect(first).toEqual({ half: "2026H1", sent: 1 });
    expect(await runJobOnce(deps, "half-year-review")).toEqual({ half: "2026H1", sent: 0 });
    const row = h.db.prepare("SELECT chat_id AS chatId, template, params FROM outbox").get() as {
      chatId: number;
      template: string;
      params: string;
    };
    expect(row).toMatchObject({ chatId: ADMIN, template: "review.halfYear" });
    const rendered = await TEMPLATES["review.halfYear"]!(
      {
        db: h.db,
        config: h.deps.config,
        i18n: h.deps.i18n,
        t: h.deps.i18n.getFixedT("en"),
        locale: "en",
        now: h.clock.now(),
        chatId: ADMIN,
      },
      JSON.parse(row.params) as Record<string, unknown>,
    );
    const list = Array.isArray(rendered) ? rendered : [rendered];
    expect(list.map((m) => m?.document?.filename)).toEqual([
      "review-2026-h1.png",
      "review-2026-h1.xlsx",
      "review-2026-h1.pdf",
    ]);
  });

  it("sends nothing in the middle of a half, or weeks after it ended", async () => {
    const h = await harness("2026-05-10T01:00:00.000Z");
    const deps = { db: h.db, config: h.deps.config, logger: silentLogger, clock: h.clock };
    // The half just ended is 2025 H2, which ended in January: too old to send by itself.
    expect(await runJobOnce(deps, "half-year-review")).toEqual({ half: "2025H2", sent: 0 });
    expect(h.db.prepare("SELECT COUNT(*) FROM outbox").pluck().get()).toBe(0);
  });
});
