import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Api, HttpError } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { loadMigrations, migrate } from "../../src/db/migrate.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { createLogger } from "../../src/logger.ts";
import { enqueue } from "../../src/notify/outbox.ts";
import { createSender } from "../../src/notify/sender.ts";
import { redactSecrets } from "../../src/redact.ts";
import { createEmulator } from "../../src/sandbox/emulator/index.ts";
import type { Emulator } from "../../src/sandbox/emulator/index.ts";
import { addResident, addSite } from "./fixtures.ts";
import { TEST_TEMPLATES } from "./sender-setup.ts";

/** Shaped like a real token, so that the check does not depend on the emulator's test token. */
const TOKEN = "7301234567:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0";
const SECRET = TOKEN.split(":")[1] as string;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe("the bot token is never stored or printed", () => {
  it("redactSecrets removes the token, alone or in a Bot API URL", () => {
    const url = `request to https://api.telegram.org/bot${TOKEN}/sendMessage failed, reason: ECONNRESET`;
    expect(redactSecrets(url)).toBe(
      "request to https://api.telegram.org/bot<redacted>/sendMessage failed, reason: ECONNRESET",
    );
    expect(redactSecrets(`token ${TOKEN} here`)).toBe("token <redacted> here");
    expect(redactSecrets("short-token", ["short-token"])).toBe("<redacted>");
  });

  it("after an outage, the database file, the logs and `cli outbox` name no token", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lifelong-secrets-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, "bot.db");
    const emulator: Emulator = createEmulator({ token: TOKEN, rateLimit: false });
    const { apiRoot } = await emulator.start();
    cleanup.push(() => emulator.stop());

    // A row written by an older version, with the URL (and token) in its error.
    const db = openDatabase(dbPath);
    migrate(
      db,
      loadMigrations().filter((m) => m.version < 4),
    );
    db.prepare(
      "INSERT INTO outbox (key, chat_id, template, due_at, state, last_error, created_at) VALUES ('old', 1, 't', ?, 'failed', ?, ?)",
    ).run(
      "2026-02-01T00:00:00.000Z",
      `request to ${apiRoot}/bot${TOKEN}/sendMessage failed, reason: connect ECONNREFUSED`,
      "2026-02-01T00:00:00.000Z",
    );
    migrate(db);
    expect(db.prepare("SELECT last_error FROM outbox WHERE key = 'old'").pluck().get()).toBe(
      "network: connect ECONNREFUSED",
    );
    addSite(db);

    let logged = "";
    const logger = createLogger({
      level: "debug",
      secrets: [TOKEN],
      destination: new Writable({
        write(chunk, _enc, done) {
          logged += String(chunk);
          done();
        },
      }),
    });
    const config = parseConfig({});
    const clock = new ManualClock("2026-03-01T00:00:00.000Z");
    const ids = [601, 602, 603];
    for (const id of ids) {
      emulator.state.ensureUser({ id, first_name: `U${id}` });
      addResident(db, { id, first_name: `U${id}` });
      enqueue(
        db,
        { key: `s:${id}`, chatId: id, template: "test.echo", params: { text: "hi" }, dueAt: clock.now() },
        clock.now(),
      );
    }
    const sender = createSender({
      db,
      api: new Api(TOKEN, { apiRoot }),
      i18n: await createI18n(config.defaultLocale),
      config,
      clock,
      logger,
      templates: TEST_TEMPLATES,
      pace: { perSecond: 1000, burst: 50, perChatIntervalMs: 5 },
    });

    // Telegram is unreachable; then a proxy answers 502 pages; the rows run out of time.
    await emulator.faults.down();
    await sender.drainOnce();
    clock.advance(60_000);
    // grammY's own client (the bot's replies) fails too, and its error is logged whole.
    const botApi = new Api(TOKEN, { apiRoot });
    const err = await botApi.sendMessage(601, "reply").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(
      JSON.stringify((err as HttpError).error, Object.getOwnPropertyNames((err as HttpError).error)),
    ).toContain(SECRET);
    logger.error({ err }, "update failed");
    await emulator.faults.up();
    emulator.faults.badGateway = 10;
    await sender.drainOnce();
    clock.set("2026-03-02T00:00:01.000Z");
    expect((await sender.drainOnce()).expired).toBe(3);
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();

    expect(logged).toContain("update failed");
    expect(logged).toContain("not delivered; will try again");
    expect(logged).not.toContain(SECRET);
    for (const file of [dbPath, `${dbPath}-wal`]) {
      if (existsSync(file)) expect(readFileSync(file).includes(SECRET), file).toBe(false);
    }

    const out = execFileSync(process.execPath, ["--import", "tsx", "src/cli.ts", "outbox"], {
      env: { PATH: process.env.PATH ?? "", DATABASE_PATH: dbPath, BOT_TOKEN: TOKEN, LOG_LEVEL: "warn" },
      encoding: "utf8",
    });
    expect(out).toMatch(/expired\s+3/);
    expect(out).toContain("Expired (not sent by their deadline; never sent late):");
    expect(out).toMatch(
      /s:601 → chat 601, \d+ attempt\(s\): not sent by its deadline 2026-03-02T00:00:00.000Z/,
    );
    expect(out).not.toContain(SECRET);
  }, 30_000);
});
