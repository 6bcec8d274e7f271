import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createDispatcher, MAX_ATTEMPTS, storeUpdates, unhandledCount } from "../../src/bot/inbox.ts";
import { silentLogger } from "../../src/logger.ts";

const text = (updateId: number, chatId: number, body = "/help"): Update =>
  ({
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 0,
      chat: { id: chatId, type: "private", first_name: "A" },
      from: { id: chatId, is_bot: false, first_name: "A" },
      text: body,
    },
  }) as Update;

function setup() {
  const db = openDatabase(":memory:");
  migrate(db);
  return { db, clock: new ManualClock("2026-11-30T02:00:00.000Z") };
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe("the inbox", () => {
  it("keeps an update once, however often Telegram delivers it", () => {
    const { db, clock } = setup();
    expect(storeUpdates(db, [text(500, 9), text(501, 9)], clock.now())).toBe(2);
    expect(storeUpdates(db, [text(501, 9), text(502, 9)], clock.now())).toBe(1);
    expect(db.prepare("SELECT update_id FROM inbox ORDER BY 1").pluck().all()).toEqual([500, 501, 502]);
    expect(unhandledCount(db)).toBe(3);
  });

  it("handles each stored update once, marks it, and drops it when delivered again after that", async () => {
    const { db, clock } = setup();
    const seen: number[] = [];
    const d = createDispatcher({
      db,
      clock,
      logger: silentLogger,
      concurrency: 8,
      handle: async (u) => {
        seen.push(u.update_id);
      },
    });
    storeUpdates(db, [text(500, 9), text(501, 10)], clock.now());
    await d.idle();
    storeUpdates(db, [text(500, 9), text(502, 9)], clock.now());
    await d.idle();
    expect(seen).toEqual([500, 501, 502]);
    expect(unhandledCount(db)).toBe(0);
    await d.stop();
  });

  it("handles what a killed process left unmarked when the next one starts, before anything newer", async () => {
    const { db, clock } = setup();
    // The first process stored two updates and died handling them (never marked).
    storeUpdates(db, [text(700, 9), text(701, 11)], clock.now());
    db.prepare("UPDATE inbox SET attempts = 1").run();
    const seen: number[] = [];
    const d = createDispatcher({
      db,
      clock,
      logger: silentLogger,
      concurrency: 1,
      handle: async (u) => {
        seen.push(u.update_id);
      },
    });
    d.wake();
    storeUpdates(db, [text(702, 12)], clock.now());
    await d.idle();
    expect(seen).toEqual([700, 701, 702]);
  });

  it("runs 8 updates at once, one at a time per chat and in order", async () => {
    const { db, clock } = setup();
    const updates: Update[] = [];
    // 20 chats, 5 updates each, interleaved as they would arrive.
    for (let n = 0; n < 5; n++) for (let c = 0; c < 20; c++) updates.push(text(1 + n * 20 + c, 100 + c));
    storeUpdates(db, updates, clock.now());
    let inFlight = 0;
    let most = 0;
    const running = new Set<string>();
    const order = new Map<string, number[]>();
    const d = createDispatcher({
      db,
      clock,
      logger: silentLogger,
      concurrency: 8,
      handle: async (u) => {
        const chat = String(u.message?.chat.id);
        expect(running.has(chat)).toBe(false);
        running.add(chat);
        inFlight++;
        most = Math.max(most, inFlight);
        await tick(2);
        order.set(chat, [...(order.get(chat) ?? []), u.update_id]);
        inFlight--;
        running.delete(chat);
      },
    });
    await d.idle();
    expect(most).toBe(8);
    expect(order.size).toBe(20);
    for (const ids of order.values()) expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(unhandledCount(db)).toBe(0);
  });

  it("gives up an update that ended the process every time, so its chat moves on", async () => {
    const { db, clock } = setup();
    storeUpdates(db, [text(900, 9), text(901, 9)], clock.now());
    db.prepare("UPDATE inbox SET attempts = ? WHERE update_id = 900").run(MAX_ATTEMPTS);
    const seen: number[] = [];
    const d = createDispatcher({
      db,
      clock,
      logger: silentLogger,
      concurrency: 8,
      handle: async (u) => {
        seen.push(u.update_id);
      },
    });
    await d.idle();
    expect(seen).toEqual([901]);
    expect(unhandledCount(db)).toBe(0);
  });

  it("leaves an update unmarked when stopped before it finished", async () => {
    const { db, clock } = setup();
    storeUpdates(db, [text(1, 9)], clock.now());
    const d = createDispatcher({
      db,
      clock,
      logger: silentLogger,
      concurrency: 8,
      handle: () => new Promise(() => {}),
    });
    d.wake();
    await tick(10);
    expect(d.size).toBe(1);
    await d.stop(20);
    expect(unhandledCount(db)).toBe(1);
  });
});
