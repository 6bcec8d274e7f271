/**
 * A SIGKILL while an update is being handled loses nothing: the bot stores each update before
 * Telegram is told it arrived, so the restarted process handles it, once. Driven against the
 * real bot process and the emulator; the kill comes the moment Telegram (the emulator) sees the
 * update confirmed, which is before the bot has answered it.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PERSONAS, seedDemo } from "../../src/demo/demo.ts";
import { importCatalogFile } from "../../src/catalog/import.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { startBotProcess } from "../helpers/e2e.ts";
import type { BotProcess } from "../helpers/e2e.ts";

const TZ = "Asia/Shanghai";
const lucy = DEMO_PERSONAS.find((p) => p.id === 100006)!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a bot process killed while handling an update", () => {
  let bot: BotProcess;
  let db: Database.Database;

  beforeAll(async () => {
    bot = await startBotProcess({
      rateLimit: false,
      prepare: (path) => {
        const setup = openDatabase(path);
        migrate(setup);
        const now = new Date();
        importCatalogFile(setup, "data/catalog.yaml", { timezone: TZ, now });
        seedDemo(setup, { timezone: TZ, now });
        // No weekly digest to catch up on at start: the only digests in the chat are asked for.
        setup.prepare("INSERT INTO job_runs (name, last_run_at) VALUES ('digest', ?)").run(now.toISOString());
        setup.close();
      },
    });
    db = new Database(bot.databasePath, { readonly: true, fileMustExist: true });
    bot.emulator.state.ensureUser({ id: lucy.id, first_name: lucy.first_name, language_code: "en" });
  }, 60_000);

  afterAll(async () => {
    db?.close();
    await bot?.stop();
  });

  /** Waits until the inbox holds `count` updates, all handled (rendering a digest is slow on a busy machine). */
  async function handled(count: number): Promise<void> {
    const done = () =>
      db.prepare("SELECT COUNT(*) FROM inbox WHERE handled_at IS NOT NULL").pluck().get() === count &&
      db.prepare("SELECT COUNT(*) FROM inbox WHERE handled_at IS NULL").pluck().get() === 0;
    for (let i = 0; i < 1500 && !done(); i++) await sleep(100);
    expect(done(), bot.output()).toBe(true);
    await sleep(300);
  }

  it("handles an admin's /digest exactly once after the restart", async () => {
    const state = bot.emulator.state;
    // SIGKILL the moment the update is confirmed to Telegram, before the bot has answered.
    const start = state.messages(lucy.id).length;
    state.sendText(lucy.id, "/digest");
    while (state.updates.size > 0) await new Promise((r) => setImmediate(r));
    const killing = bot.restart("SIGKILL");
    const atKill = state
      .messages(lucy.id)
      .slice(start)
      .filter((m) => m.side === "bot").length;
    await killing;
    await handled(1);
    const replies = state
      .messages(lucy.id)
      .slice(start)
      .filter((m) => m.side === "bot");
    // The digest is a chart, a spreadsheet and the figures: each arrived once.
    expect(atKill).toBe(0);
    expect(replies.filter((m) => m.photo).length, bot.output()).toBe(1);
    expect(replies.filter((m) => m.document).length).toBe(1);
    expect(replies.length).toBeGreaterThanOrEqual(3);
  }, 360_000);

  it("enrols a resident exactly once when the confirm press was cut short", async () => {
    const state = bot.emulator.state;
    const id = 990_001;
    const user = bot.driver.user({ id, first_name: "赵大爷", language_code: "zh" });
    await user.send("/start");
    await user.send("书法");
    await user.press(/^老年书画班（书法/);
    await user.press(/^(✍️ 报名|🕒 排队候补)$/);
    await user.press(/^(👤|🙋)/);
    const count = (db.prepare("SELECT COUNT(*) FROM inbox").pluck().get() as number) + 1;
    const before = state.messages(id).length;
    await user.press("✅ 确认报名", { expectAnswer: false });
    while (state.updates.size > 0) await new Promise((r) => setImmediate(r));
    await bot.restart("SIGKILL");
    const enrolments = () =>
      db.prepare("SELECT COUNT(*) FROM enrolments WHERE account_id = ?").pluck().get(id) as number;
    await handled(count);
    expect(enrolments(), bot.output()).toBe(1);
    const after = state
      .messages(id)
      .slice(before)
      .map((m) => m.text);
    // Answered (an edit or a new message), and never with the error apology.
    expect(after.join("\n")).not.toMatch(/出错|抱歉/);
  }, 360_000);
});
