import { Writable } from "node:stream";
import { Api } from "grammy";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createDispatcher } from "../../src/bot/inbox.ts";
import { POLL_RETRY_MAX_MS, startPolling } from "../../src/bot/polling.ts";
import type { Polling } from "../../src/bot/polling.ts";
import { createEmulator } from "../../src/sandbox/emulator/index.ts";
import type { Emulator } from "../../src/sandbox/emulator/index.ts";

const TOKEN = "1000001:polling-test-token";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let emulator: Emulator | undefined;
let polling: Polling | undefined;
afterEach(async () => {
  await polling?.stop();
  await emulator?.stop();
});

function capturingLogger() {
  const lines: { level: number; msg: string; error?: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), lines };
}

describe("long polling while Telegram is away", () => {
  it("answers again within 5 s of Telegram's return, with one warning for the outage and no token", async () => {
    emulator = createEmulator({ token: TOKEN, rateLimit: false });
    const { port, apiRoot } = await emulator.start(0);
    const db = openDatabase(":memory:");
    migrate(db);
    const clock = new ManualClock("2026-11-30T02:00:00.000Z");
    const { logger, lines } = capturingLogger();
    const handled = new Map<number, number>();
    const dispatcher = createDispatcher({
      db,
      clock,
      logger,
      concurrency: 8,
      handle: async (u) => {
        handled.set(u.update_id, Date.now());
      },
    });
    const api = new Api(TOKEN, { apiRoot });
    polling = startPolling({
      db,
      clock,
      logger,
      dispatcher,
      allowedUpdates: ["message"],
      timeoutSeconds: 1,
      getUpdates: (params, signal) => api.getUpdates(params as never, signal as never),
    });
    emulator.state.ensureUser({ id: 5, first_name: "A" });
    emulator.state.sendText(5, "before");
    for (let i = 0; i < 100 && handled.size === 0; i++) await sleep(20);
    expect(handled.size).toBe(1);

    // Telegram away (connection refused) for longer than several doubled waits would reach.
    await emulator.stop();
    await sleep(9000);
    emulator.state.sendText(5, "during");
    const back = Date.now();
    await emulator.start(port);
    for (let i = 0; i < 300 && handled.size < 2; i++) await sleep(20);
    expect(handled.size).toBe(2);
    const recovery = [...handled.values()][1]! - back;
    expect(recovery).toBeLessThan(5000);
    expect(recovery).toBeLessThanOrEqual(POLL_RETRY_MAX_MS + 1000);

    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(lines.filter((l) => l.msg === "Telegram reachable again")).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain(TOKEN.split(":")[1]);
  }, 30_000);
});
