import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCatalogFile } from "../../src/catalog/import.ts";
import { ManualClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createCatalogPageHandler } from "../../src/publicity/catalog-page.ts";

/**
 * The public catalog page in Chromium: a phone (360 px) and a desktop (1280 px), and with
 * JavaScript switched off, which must change nothing.
 */

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const TZ = "Asia/Shanghai";
const NOW = new Date("2026-09-01T02:00:00.000Z");

describe.skipIf(!hasChromium)("public catalog page in Chromium", () => {
  let server: Server;
  let base = "";
  let browser: Browser;
  const db = openDatabase(":memory:");
  const config = { ...parseConfig({}), timezone: TZ };
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    migrate(db);
    importCatalogFile(db, "data/catalog.yaml", { timezone: TZ, now: NOW });
    // Someone's name must never reach the page, though they are enrolled.
    db.prepare("INSERT INTO users (id, first_name, created_at) VALUES (1, '宋小明', ?)").run(
      NOW.toISOString(),
    );
    const person = db
      .prepare(
        "INSERT INTO people (account_id, is_self, name, relation, created_at) VALUES (1, 1, '宋小明', 'self', ?)",
      )
      .run(NOW.toISOString()).lastInsertRowid;
    db.prepare(
      "INSERT INTO enrolments (course_id, person_id, account_id, status, created_at, updated_at) VALUES ((SELECT id FROM courses WHERE code = 'jt-meridian'), ?, 1, 'enrolled', ?, ?)",
    ).run(person, NOW.toISOString(), NOW.toISOString());
    const handler = createCatalogPageHandler({
      deps: () => ({ db, config, clock }),
      botUsername: () => "lifelong_test_bot",
    });
    server = createServer((req, res) => {
      if (!handler(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  for (const [width, height, javaScriptEnabled] of [
    [360, 740, true],
    [1280, 900, true],
    [360, 740, false],
  ] as const) {
    it(`${width} px wide, JavaScript ${javaScriptEnabled ? "on" : "off"}: courses, seats, enrol links and QR codes, nothing wider than the screen`, async () => {
      const context = await browser.newContext({ viewport: { width, height }, javaScriptEnabled });
      const page = await context.newPage();
      try {
        const response = await page.goto(`${base}/courses?lang=zh`);
        expect(response?.status()).toBe(200);
        const card = page.locator("article.course", { hasText: "经络养生操" });
        await expect(card.count()).resolves.toBe(1);
        const seats = db
          .prepare("SELECT capacity - 1 FROM courses WHERE code = 'jt-meridian'")
          .pluck()
          .get() as number;
        expect(await card.textContent()).toContain(`还剩 ${seats} 个`);
        expect(await card.locator("a.enrol").getAttribute("href")).toBe(
          "https://t.me/lifelong_test_bot?start=c_jt-meridian_w",
        );
        const qr = card.locator(".qr img");
        await qr.scrollIntoViewIfNeeded();
        await expect
          .poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
          .toBeGreaterThan(0);
        const body = await page.content();
        expect(body).not.toContain("宋小明");
        const overflow = await page.evaluate("document.documentElement.scrollWidth");
        expect(overflow).toBeLessThanOrEqual(width);
        // The language switch is a plain link.
        await page.getByRole("link", { name: "English" }).click();
        await page.waitForURL(/lang=en/);
        expect(await page.locator("article.course", { hasText: "Meridian Exercises" }).count()).toBe(1);
        expect(await page.locator("html").getAttribute("lang")).toBe("en");
        await page.screenshot({
          path: `test-results/catalog-${width}${javaScriptEnabled ? "" : "-nojs"}.png`,
          fullPage: false,
        });
      } finally {
        await context.close();
      }
    }, 60_000);
  }

  it("answers from a short cache, and only /courses is its business", async () => {
    const first = await (await fetch(`${base}/courses?lang=zh`)).text();
    db.prepare("UPDATE courses SET capacity = capacity + 5 WHERE code = 'jt-meridian'").run();
    expect(await (await fetch(`${base}/courses?lang=zh`)).text()).toBe(first);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
    expect((await fetch(`${base}/courses/qr/no-such.svg`)).status).toBe(404);
  });
});
