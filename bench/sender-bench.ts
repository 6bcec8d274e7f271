import { Api } from "grammy";
import { systemClock } from "../src/clock.ts";
import { parseConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/connection.ts";
import { migrate } from "../src/db/migrate.ts";
import { createI18n } from "../src/i18n/index.ts";
import { silentLogger } from "../src/logger.ts";
import { createEmulator, DEFAULT_TOKEN } from "../src/sandbox/emulator/index.ts";
import { enqueue } from "../src/notify/outbox.ts";
import type { PaceOptions } from "../src/notify/pacer.ts";
import { createSender } from "../src/notify/sender.ts";
import type { Template } from "../src/notify/template.ts";

export interface SenderPaceResult {
  /** Messages delivered per second, first send to last. */
  rate: number;
  /** rate / 30: how close the sender comes to Telegram's ~30 messages a second. */
  shareOf30: number;
  /** 429 answers the emulator's rate limiter gave. */
  count429: number;
  count: number;
  seconds: number;
}

const BENCH_TEMPLATES: Record<string, Template> = {
  "bench.ping": (_ctx, params) => ({ text: `<b>#${String(params.n)}</b> benchmark message` }),
};

/**
 * Sends `count` messages to `count` chats through the emulator with Telegram's limits on, and
 * measures the pace the sender keeps (`npm run bench`).
 */
export async function benchSenderPace(
  options: { count?: number; pace?: Partial<PaceOptions> } = {},
): Promise<SenderPaceResult> {
  const count = options.count ?? 1000;
  const emulator = createEmulator({ rateLimit: { enabled: true } });
  const { apiRoot } = await emulator.start();
  const db = openDatabase(":memory:");
  try {
    migrate(db);
    const config = parseConfig({});
    const i18n = await createI18n(config.defaultLocale);
    const now = systemClock.now();
    db.transaction(() => {
      for (let i = 1; i <= count; i++) {
        emulator.state.ensureUser({ id: 700_000 + i, first_name: `Bench ${i}` });
        enqueue(
          db,
          { key: `bench:${i}`, chatId: 700_000 + i, template: "bench.ping", params: { n: i }, dueAt: now },
          now,
        );
      }
    })();
    const api = new Api(DEFAULT_TOKEN, { apiRoot });
    const sender = createSender({
      db,
      api,
      i18n,
      config,
      clock: systemClock,
      logger: silentLogger,
      templates: BENCH_TEMPLATES,
      ...(options.pace ? { pace: options.pace } : {}),
    });
    const started = performance.now();
    const stats = await sender.drainOnce();
    const seconds = (performance.now() - started) / 1000;
    const rate = stats.sent / seconds;
    return {
      rate,
      shareOf30: rate / 30,
      count429: emulator.state.stats.tooManyRequests,
      count: stats.sent,
      seconds,
    };
  } finally {
    db.close();
    await emulator.stop();
  }
}
