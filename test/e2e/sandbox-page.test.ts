/**
 * The sandbox page's structure in Chromium, on a phone (360 px, and the composer at 320 px) and
 * on a desktop (1280 px): "Large text" scales everything, the message box keeps most of the row,
 * many persona tabs work at once, a pressed button stops waiting when the bot answers, the focus
 * comes back to the message box, an empty chat offers Start, every job and every error speaks
 * both languages. Screenshots go to test-results/screenshots/page-*.png.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PERSONAS } from "../../src/demo/demo.ts";
import { parseConfig } from "../../src/config.ts";
import { JOBS } from "../../src/jobs/index.ts";
import { silentLogger } from "../../src/logger.ts";
import type { Sandbox } from "../../src/sandbox/start.ts";
import { SANDBOX_CHANNEL, SANDBOX_TOKEN, startSandbox } from "../../src/sandbox/start.ts";
import { JOB_LABELS } from "../../src/sandbox/web/time-panel.ts";

const CHROMIUM = "/usr/bin/chromium";
const SHOTS = "test-results/screenshots";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) process.stderr.write(`sandbox page test skipped: no Chromium at ${CHROMIUM}\n`);

const HAN = /\p{Script=Han}/u;
const LATIN = /[A-Za-z]{3}/;
const bilingual = (text: string | null): boolean => HAN.test(text ?? "") && LATIN.test(text ?? "");
const wang = DEMO_PERSONAS.find((p) => p.first_name === "王秀兰")!;

describe("every job has a label in both languages", () => {
  it("names each scheduled job in Chinese and English", () => {
    for (const job of JOBS) {
      const label = JOB_LABELS[job.name];
      expect(label, job.name).toBeDefined();
      expect(HAN.test(label!.zh), job.name).toBe(true);
      expect(LATIN.test(label!.en), job.name).toBe(true);
    }
  });
});

describe.skipIf(!hasChromium)("sandbox page in Chromium", () => {
  let dir: string;
  let sandbox: Sandbox;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), "lifelong-page-"));
    const config = parseConfig({ DATABASE_PATH: join(dir, "sandbox.db"), LOG_LEVEL: "silent" });
    sandbox = await startSandbox(config, silentLogger, { fresh: true, port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A new persona (made through the page's API) and its chat open in `page`. */
  async function newPersonaChat(page: Page, name: string, language = "zh"): Promise<number> {
    const res = await fetch(`${sandbox.webUrl}/api/personas`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name, language }),
    });
    const id = ((await res.json()) as { result: { id: number } }).result.id;
    await page.goto(`${sandbox.webUrl}/#${id}`);
    await page.locator("#chat").waitFor({ state: "visible" });
    return id;
  }

  const px = (page: Page, js: string): Promise<number> => page.evaluate(js) as Promise<number>;

  for (const width of [360, 1280]) {
    it(`scales everything with Large text and keeps the composer usable at ${width} px`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${sandbox.webUrl}/#${wang.id}`);
      await page.locator("#chat").waitFor({ state: "visible" });
      const sizes = `(() => [document.documentElement, document.querySelector("#time-title"), document.querySelector("#send"), document.querySelector("#chat-title")].map((e) => parseFloat(getComputedStyle(e).fontSize)))()`;
      const before = (await page.evaluate(sizes)) as number[];
      await page.getByRole("button", { name: /Large text/ }).click();
      const after = (await page.evaluate(sizes)) as number[];
      for (const [i, b] of before.entries())
        expect(after[i]!, `element ${i}`).toBeGreaterThanOrEqual(b * 1.25);
      await page.screenshot({ path: join(SHOTS, `page-large-${width}.png`), fullPage: false });
      await page.getByRole("button", { name: /Large text/ }).click();

      const ratio = `(() => document.querySelector("#text").getBoundingClientRect().width / document.querySelector("#composer").getBoundingClientRect().width)()`;
      expect(await px(page, ratio)).toBeGreaterThanOrEqual(width < 600 ? 0.6 : 0.6);
      if (width < 600) {
        await page.setViewportSize({ width: 320, height: 700 });
        expect(await px(page, ratio)).toBeGreaterThanOrEqual(0.6);
        await page.getByRole("button", { name: /Large text/ }).click();
        expect(await px(page, ratio)).toBeGreaterThanOrEqual(0.5);
        await page.getByRole("button", { name: /Large text/ }).click();
        await page.screenshot({ path: join(SHOTS, "page-composer-320.png") });
      }
      await context.close();
    }, 60_000);
  }

  it("offers Start in an empty chat, un-dims a pressed button and gives the focus back (360 px)", async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await newPersonaChat(page, "Empty Chat", "en");
    const start = page.locator("#start-chat");
    await start.waitFor({ state: "visible" });
    expect(bilingual(await page.locator(".empty-chat").textContent())).toBe(true);
    await page.screenshot({ path: join(SHOTS, "page-empty-360.png") });
    await start.click();
    await page.locator("#messages > li.msg.bot").first().waitFor();
    expect(await page.locator("#start-chat").count()).toBe(0);

    // An inline button whose answer is a new message or an edit: no button stays dimmed.
    await page.locator("#text").fill("/courses");
    await page.locator("#text").press("Enter");
    const inline = page.locator("#messages > li.msg.bot").last().locator(".inline-kb button").first();
    await inline.waitFor();
    const count = await page.locator("#messages > li.msg.bot").count();
    await inline.click();
    await page.waitForFunction(
      `document.querySelectorAll("#messages > li.msg.bot").length > ${count} || !document.querySelector("#messages [aria-busy]")`,
    );
    await page.waitForFunction(`!document.querySelector("#messages [aria-busy]")`, undefined, {
      timeout: 3_000,
    });
    expect(await page.evaluate(`document.activeElement && document.activeElement.id`)).toBe("text");
    await page.screenshot({ path: join(SHOTS, "page-after-press-360.png") });
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("keeps seven persona tabs live (one more than a browser's connections per host) at once, each with its own chat", async () => {
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const pages: Page[] = [];
    for (let i = 0; i < 7; i++) {
      const page = await context.newPage();
      await newPersonaChat(page, `Tab${i + 1}`, i % 2 ? "en" : "zh");
      pages.push(page);
    }
    for (const page of pages) {
      await page.locator("#text").fill("/start");
      await page.locator("#text").press("Enter");
    }
    for (const [i, page] of pages.entries()) {
      await page
        .locator("#messages > li.msg.bot", { hasText: `Tab${i + 1}` })
        .first()
        .waitFor({ timeout: 15_000 });
    }
    await pages[6]!.screenshot({ path: join(SHOTS, "page-tab-7.png") });
    await context.close();
  }, 120_000);

  it("labels every job and says every error in both languages, Telegram's words never", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await newPersonaChat(page, "No Class Yet");
    await page.locator("#jobs li").first().waitFor();
    const labels = await page.locator("#jobs .job-name > span:first-child").allTextContents();
    expect(labels.length).toBe(JOBS.length);
    for (const l of labels) expect(bilingual(l), l).toBe(true);

    // No class ahead: the alert says so in both languages.
    await page.locator("#jump-reminder").click();
    await page.locator("#alert").waitFor({ state: "visible" });
    const alert = await page.locator("#alert-text").textContent();
    expect(bilingual(alert), alert ?? "").toBe(true);
    await page.screenshot({ path: join(SHOTS, "page-error-1280.png") });
    await page.locator("#alert button").click();

    // Telegram refuses the bot's reply (429): the page explains it, without Telegram's text.
    await fetch(`${sandbox.apiRoot}/_emulator/inject`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        method: "sendMessage",
        error_code: 429,
        description: "Too Many Requests: retry after 1",
        retry_after: 1,
      }),
    });
    await page.locator("#text").fill("/help");
    await page.locator("#text").press("Enter");
    const toast = page.locator("#toast.shown");
    await toast.waitFor({ timeout: 10_000 });
    const said = (await toast.textContent()) ?? "";
    expect(bilingual(said), said).toBe(true);
    expect(said).not.toContain("Too Many Requests");
    expect(said).not.toContain("sendMessage");
    await context.close();
  }, 60_000);

  it("shows the school's channel as a read-only chat and links the public page (360 px)", async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(sandbox.webUrl);
    // The header names the public catalog page's address, served by the same server.
    const link = page.locator("#catalog-link");
    await expect.poll(() => link.textContent()).toContain("/courses");
    const catalog = await fetch(new URL((await link.getAttribute("href"))!, sandbox.webUrl));
    expect(catalog.status).toBe(200);

    // The bot posts in the channel as its feed does, through the Bot API.
    const post = "📢 本周社区学校：书法班周三开课 · This week: calligraphy starts on Wednesday";
    const sent = await fetch(`${sandbox.apiRoot}/bot${SANDBOX_TOKEN}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: SANDBOX_CHANNEL, text: post }),
    });
    expect(((await sent.json()) as { ok: boolean }).ok).toBe(true);

    await page.locator("#open-channel").click();
    await page.locator("#messages > li.msg.bot", { hasText: "calligraphy starts" }).waitFor();
    expect(await page.locator("#composer").isVisible()).toBe(false);
    expect(await page.locator("#text").isVisible()).toBe(false);
    expect(bilingual(await page.locator("#read-only").textContent())).toBe(true);
    // A later post arrives live.
    await fetch(`${sandbox.apiRoot}/bot${SANDBOX_TOKEN}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: SANDBOX_CHANNEL, text: "Second post" }),
    });
    await page.locator("#messages > li.msg.bot", { hasText: "Second post" }).waitFor();
    await page.locator("#chat").screenshot({ path: join(SHOTS, "page-channel-360.png") });

    // Back to a persona: the message box is there again.
    await page.goto(`${sandbox.webUrl}/#${wang.id}`);
    await page.locator("#composer").waitFor({ state: "visible" });
    expect(await page.locator("#read-only").isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("shares a course card into another persona's chat through the Share button (360 px)", async () => {
    const html = await (await fetch(`${sandbox.webUrl}/courses`)).text();
    // The page's links carry their source (`_w`); the shared card's carry the share's (`_s`).
    const code = /start=c_([A-Za-z0-9_-]+?)_w\b/.exec(html)?.[1];
    expect(code).toBeDefined();
    const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
    const family = await context.newPage();
    const familyId = await newPersonaChat(family, "Family Group");
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${sandbox.webUrl}/#${wang.id}`);
    await page.locator("#chat").waitFor({ state: "visible" });
    await page.locator("#text").fill(`/start c_${code}`);
    await page.locator("#text").press("Enter");
    const share = page.locator("#messages > li.msg.bot .inline-kb button.share").last();
    await share.waitFor({ timeout: 15_000 });
    await share.click();
    const dialog = page.locator("#share-dialog");
    await dialog.waitFor({ state: "visible" });
    expect(await page.locator("#share-results input").count()).toBeGreaterThan(0);
    const title = (await page.locator("#share-results .share-choice strong").first().textContent()) ?? "";
    expect(title.length).toBeGreaterThan(0);
    await page.locator(`#share-targets input[value="${familyId}"]`).check();
    await page.screenshot({ path: join(SHOTS, "page-share-picker-360.png") });
    await page.locator("#share-send").click();
    await page.locator("#toast.shown", { hasText: "Family Group" }).waitFor();

    // The card is in the family's chat, live, with its button to open the bot.
    const card = family.locator("#messages > li.msg.bot").last();
    await card.waitFor({ timeout: 10_000 });
    await expect.poll(() => card.locator(".inline-kb a").count()).toBeGreaterThan(0);
    const href = (await card.locator(".inline-kb a").first().getAttribute("href")) ?? "";
    expect(href).toContain(`start=c_${code}_s`);
    await family.screenshot({ path: join(SHOTS, "page-shared-card-360.png") });
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("downloads a poster a staff member asked for with /poster (360 px)", async () => {
    const html = await (await fetch(`${sandbox.webUrl}/courses`)).text();
    const code = /start=c_([A-Za-z0-9_-]+?)_w\b/.exec(html)?.[1];
    expect(code).toBeDefined();
    const staff = DEMO_PERSONAS.find((p) => p.role === "staff")!;
    const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
    const page = await context.newPage();
    await page.goto(`${sandbox.webUrl}/#${staff.id}`);
    await page.locator("#chat").waitFor({ state: "visible" });
    await page.locator("#text").fill(`/poster ${code}`);
    await page.locator("#text").press("Enter");
    const download = page.locator("#messages .doc-links a[download]").last();
    await download.waitFor({ timeout: 20_000 });
    const res = await fetch(new URL((await download.getAttribute("href"))!, sandbox.webUrl));
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    await page.locator("#messages img.photo").last().waitFor({ timeout: 20_000 });
    await page.locator("#chat").screenshot({ path: join(SHOTS, "page-poster-360.png") });
    await context.close();
  }, 60_000);
});
