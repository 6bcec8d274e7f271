/**
 * A SIGKILL while an update is being handled loses nothing: the bot stores each update before
 * Telegram is told it arrived, so the restarted process handles it, once. Driven against the
 * real bot process and the emulator; the kill comes the moment Telegram (the emulator) sees the
 * update confirmed, which is before the bot has answered it. (A resident's confirm press: an
 * admin's /digest behaves the same but takes minutes to render on a loaded machine.)
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, withDemoData } from "../helpers/e2e.ts";
import type { BotProcess } from "../helpers/e2e.ts";

const TZ = "Asia/Shanghai";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a bot process killed while handling an update", () => {
  let bot: BotProcess;
  let db: Database.Database;

  beforeAll(async () => {
    bot = await startBotProcess({
      rateLimit: false,
      prepare: withDemoData(TZ, (setup, now) => {
        // No weekly digest to render at start: it would only slow the test down.
        setup.prepare("INSERT INTO job_runs (name, last_run_at) VALUES ('digest', ?)").run(now.toISOString());
      }),
    });
    db = new Database(bot.databasePath, { readonly: true, fileMustExist: true });
  }, 60_000);

  afterAll(async () => {
    db?.close();
    await bot?.stop();
  });

  /** Waits until the inbox holds `count` updates, all handled. */
  async function handled(count: number): Promise<void> {
    const done = () =>
      db.prepare("SELECT COUNT(*) FROM inbox WHERE handled_at IS NOT NULL").pluck().get() === count &&
      db.prepare("SELECT COUNT(*) FROM inbox WHERE handled_at IS NULL").pluck().get() === 0;
    for (let i = 0; i < 1500 && !done(); i++) await sleep(100);
    expect(done(), bot.output()).toBe(true);
    await sleep(300);
  }

  it("enrols a resident exactly once when the confirm press was cut short", async () => {
    const state = bot.emulator.state;
    const id = 990_001;
    const user = bot.driver.user({ id, first_name: "赵大爷", language_code: "zh" });
    await user.send("/start");
    // The one course with 书法 in its title opens at once; no family, so no "for whom".
    await user.send("书法");
    await user.press(/^(✍️ 报名|🕒 排队候补)$/);
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
  }, 200_000);
});
