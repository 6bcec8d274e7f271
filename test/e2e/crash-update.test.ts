/**
 * A SIGKILL while an update is being handled loses nothing: the bot stores each update before
 * Telegram is told it arrived, so the restarted process handles it, once. Driven against the
 * real bot process and the emulator; the kill comes the moment Telegram (the emulator) sees the
 * update confirmed, which is before the bot has answered it.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PERSONAS, seedDemo } from "../../src/catalog/demo.ts";
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
        setup.close();
      },
    });
    db = new Database(bot.databasePath, { readonly: true, fileMustExist: true });
    bot.emulator.state.ensureUser({ id: lucy.id, first_name: lucy.first_name, language_code: "en" });
    // The digest the bot catches up on at start goes out first, so the counts below are ours.
    const due = () =>
      db
        .prepare("SELECT COUNT(*) FROM outbox WHERE chat_id = ? AND state IN ('pending', 'sending')")
        .pluck()
        .get(lucy.id) as number;
    for (let i = 0; i < 300 && due() > 0; i++) await sleep(100);
  }, 60_000);

  afterAll(async () => {
    db?.close();
    await bot?.stop();
  });

  const botMessages = () => bot.emulator.state.messages(lucy.id).filter((m) => m.side === "bot").length;

  /** Waits for a bot message after the first `from`, then until none has come for `quietMs`. */
  async function settle(from: number, quietMs = 1500, limitMs = 20_000): Promise<number> {
    const end = Date.now() + limitMs;
    while (botMessages() <= from && Date.now() < end) await sleep(50);
    let last = botMessages();
    let since = Date.now();
    while (Date.now() < end) {
      await sleep(50);
      const n = botMessages();
      if (n !== last) {
        last = n;
        since = Date.now();
      } else if (Date.now() - since >= quietMs) break;
    }
    return last;
  }

  it("handles an admin's /digest exactly once after the restart", async () => {
    const state = bot.emulator.state;
    // What one /digest produces when nothing goes wrong.
    const before = botMessages();
    state.sendText(lucy.id, "/digest");
    const perDigest = (await settle(before)) - before;
    expect(perDigest).toBeGreaterThan(0);

    // Again, and SIGKILL the moment the update is confirmed to Telegram.
    const start = botMessages();
    const { update_id } = state.sendText(lucy.id, "/digest").raw as unknown as { update_id?: number };
    expect(update_id).toBeUndefined();
    while (state.updates.size > 0) await new Promise((r) => setImmediate(r));
    const killing = bot.restart("SIGKILL");
    const atKill = botMessages() - start;
    await killing;
    // The kill came before the digest was out.
    expect(atKill).toBeLessThan(perDigest);
    const after = (await settle(start)) - start;
    expect(after, bot.output()).toBe(perDigest);
    const unhandled = db.prepare("SELECT COUNT(*) FROM inbox WHERE handled_at IS NULL").pluck().get();
    expect(unhandled).toBe(0);
  }, 90_000);
});
