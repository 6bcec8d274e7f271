/**
 * The sender as a separate process, for the crash test: drains the outbox of the database at
 * CRASH_DB through the Bot API at CRASH_API_ROOT, then prints its stats and exits.
 */
import { Api } from "grammy";
import { systemClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { silentLogger } from "../../src/logger.ts";
import { createSender } from "../../src/notify/sender.ts";
import { DEFAULT_TOKEN } from "../../src/sandbox/emulator/index.ts";

async function main(): Promise<void> {
  const db = openDatabase(process.env.CRASH_DB as string);
  const config = parseConfig({});
  const i18n = await createI18n(config.defaultLocale);
  const sender = createSender({
    db,
    api: new Api(DEFAULT_TOKEN, { apiRoot: process.env.CRASH_API_ROOT as string }),
    i18n,
    config,
    clock: systemClock,
    logger: silentLogger,
    templates: { "crash.echo": (_ctx, p) => ({ text: String(p.key) }) },
    pace: { perSecond: 400, burst: 10, perChatIntervalMs: 20 },
  });
  const stats = await sender.drainOnce();
  db.close();
  process.stdout.write(`${JSON.stringify(stats)}\n`);
}

void main();
