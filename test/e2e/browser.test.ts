/**
 * The sandbox's web chat in a real browser: Debian's Chromium driven by playwright-core.
 * Wang Xiulan (Chinese-speaking senior) enrols in a course, the time panel brings her next
 * class's reminder due, she answers it; Lucy Zhou (staff, English) reads /summary in a second
 * tab. Screenshots go to test-results/screenshots/.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PERSONAS } from "../../src/demo/demo.ts";
import { parseConfig } from "../../src/config.ts";
import { silentLogger } from "../../src/logger.ts";
import type { Sandbox } from "../../src/sandbox/start.ts";
import { startSandbox } from "../../src/sandbox/start.ts";

const CHROMIUM = "/usr/bin/chromium";
const SHOTS = "test-results/screenshots";
const README_SHOT = "docs/sandbox.png";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  process.stderr.write(
    `browser test skipped: no Chromium at ${CHROMIUM} (Debian: apt-get install chromium)\n`,
  );
}

/** The bot's own English words for the staff summary, so the test follows the locale files. */
const staffEn = JSON.parse(readFileSync("locales/en/staff.json", "utf8")) as {
  summary: { title: string; fill: string };
};

const wang = DEMO_PERSONAS.find((p) => p.first_name === "王秀兰")!;
const lucy = DEMO_PERSONAS.find((p) => p.first_name === "Lucy")!;

/** The newest bot message in the open chat. */
const lastBot = (page: Page): Locator => page.locator("#messages > li.msg.bot").last();

/** Presses an inline button of the newest bot message, waiting for it to be there. */
async function pressInline(page: Page, name: string | RegExp): Promise<void> {
  await lastBot(page).getByRole("button", { name }).click();
}

async function botSays(page: Page, text: string | RegExp, timeout = 15_000): Promise<Locator> {
  const message = page.locator("#messages > li.msg.bot", { hasText: text }).last();
  await message.waitFor({ state: "visible", timeout });
  return message;
}

async function shot(page: Page, name: string): Promise<string> {
  // The page's CJK font is fetched on first use; wait for it so no glyph is still missing.
  // (Page code is passed as a string: this file is type-checked without the DOM library.)
  await page.evaluate(`(async () => {
    await document.fonts.load('16px "Sandbox CJK"', "中文");
    await document.fonts.ready;
  })()`);
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

describe.skipIf(!hasChromium)("sandbox web chat in Chromium", () => {
  let dir: string;
  let sandbox: Sandbox;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), "lifelong-browser-"));
    const config = parseConfig({ DATABASE_PATH: join(dir, "sandbox.db"), LOG_LEVEL: "silent" });
    sandbox = await startSandbox(config, silentLogger, { fresh: true, port: 0 });
    // launch() gives Chromium a new empty profile directory of its own (--user-data-dir).
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("enrols as 王秀兰, brings a reminder due from the time panel, answers it; Lucy reads /summary", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: "zh-CN" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    await page.goto(sandbox.webUrl);
    await page.getByRole("heading", { name: /Choose a persona/ }).waitFor();
    await page.locator(`[data-persona="${wang.id}"]`).click();
    await page.getByRole("heading", { name: wang.first_name }).waitFor();

    // The command menu comes from the bot's setMyCommands (default scope, Chinese).
    await page.locator("#menu-button").click();
    await page
      .locator("#command-menu")
      .getByRole("button", { name: /\/start/ })
      .click();
    await botSays(page, wang.first_name);

    // Reply keyboard → course browsing (inline keyboards, messages edited in place) → enrolment.
    await page
      .locator("#reply-keyboard")
      .getByRole("button", { name: /找课程/ })
      .click();
    // Topics sit on the first screen; she has no family, so nobody asks "for whom".
    await pressInline(page, /健身养生/);
    await pressInline(page, /太极拳入门/);
    await pressInline(page, /报名$/);
    await botSays(page, "请核对后确认");
    await pressInline(page, /确认报名/);
    const done = await botSays(page, "报名成功");
    expect(await done.textContent()).toContain("太极拳入门");
    await shot(page, "1-enrolled");

    // Time panel: move the clock to just past the next class's first reminder, then run the job.
    await page.locator("#jump-reminder").click();
    const jumped = page.locator("#jump-result");
    await jumped.filter({ hasText: /小时|h/ }).waitFor();
    const nextTitle = ((await jumped.textContent()) ?? "").split(":")[0]?.trim() ?? "";
    expect(nextTitle.length).toBeGreaterThan(0);
    await page.locator('[data-job="reminders"]').click();
    await page.locator("#job-result").filter({ hasText: "queued" }).waitFor();
    const reminder = await botSays(page, "上课提醒", 20_000);
    expect(await reminder.textContent()).toContain(nextTitle);
    // The bot's <b> arrives as a bold entity and is drawn as an element, not injected HTML.
    expect(await reminder.locator("b", { hasText: "上课提醒" }).count()).toBe(1);

    // One response per press: the answer is a toast, not another message.
    await reminder.getByRole("button", { name: /我会来/ }).click();
    await page.locator("#toast.shown", { hasText: "到时见" }).waitFor({ timeout: 15_000 });
    const readme = await shot(page, "2-reminder-answered");

    // Large text is a toggle that sticks.
    await page.getByRole("button", { name: /Large text/ }).click();
    expect(await page.evaluate(`document.documentElement.classList.contains("large")`)).toBe(true);
    await shot(page, "3-large-text");
    await page.getByRole("button", { name: /Large text/ }).click();

    // A second tab, another persona: staff reads the summary in English.
    const staff = await context.newPage();
    staff.on("pageerror", (e) => errors.push(e.message));
    await staff.goto(`${sandbox.webUrl}/#${lucy.id}`);
    await staff.getByRole("heading", { name: /Lucy/ }).waitFor();
    await staff.locator("#text").fill("/summary");
    await staff.locator("#text").press("Enter");
    const summary = await botSays(staff, staffEn.summary.fill, 20_000);
    expect(await summary.textContent()).toContain(staffEn.summary.title.replace(/^\P{L}+/u, ""));
    await shot(staff, "4-staff-summary");

    // Each tab shows its own chat.
    expect(await page.locator("#messages", { hasText: staffEn.summary.fill }).count()).toBe(0);
    expect(await staff.locator("#messages", { hasText: "太极拳入门" }).count()).toBe(0);

    if (!existsSync(README_SHOT)) {
      mkdirSync("docs", { recursive: true });
      copyFileSync(readme, README_SHOT);
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it("never runs a name's markup: a persona called <img onerror> is shown as text", async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    await page.goto(sandbox.webUrl);
    await page.locator("#np-name").fill('<img src=x onerror="window.__pwned=1"><b>Bob</b>');
    await page.getByLabel("English").check();
    await page.getByRole("button", { name: /Create and chat/ }).click();
    await page.locator("#chat").waitFor({ state: "visible" });
    await page.locator("#text").fill("/start");
    await page.locator("#text").press("Enter");
    await page.locator("#messages > li.msg.bot").first().waitFor();
    expect(await page.locator("#messages img").count()).toBe(0);
    expect(await page.evaluate("window.__pwned")).toBeUndefined();
    expect(await page.locator("#chat-title").textContent()).toContain("<img");
    await context.close();
  }, 60_000);
});
