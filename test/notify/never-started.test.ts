import { afterEach, describe, expect, it } from "vitest";
import { enqueue, markReachable } from "../../src/notify/outbox.ts";
import { createHarness } from "../helpers/bot-harness.ts";
import { outboxRows } from "./fixtures.ts";
import { senderSetup, stopAll } from "./sender-setup.ts";

afterEach(stopAll);

describe("someone who never opened the chat", () => {
  it("is tried once; their messages wait without more requests and go out when they write, within the deadline", async () => {
    const s = await senderSetup({ rateLimit: false, sender: { pace: { perChatIntervalMs: 5 } } });
    const admin = 4242; // in ADMIN_IDS, never pressed Start: unknown to Telegram
    s.put("a:1", admin, "test.echo", { text: "first" });
    expect(await s.sender.drainOnce()).toMatchObject({ waiting: 1, failed: 0, retried: 0 });
    const first = outboxRows(s.db)[0];
    expect(first).toMatchObject({ state: "waiting", attempts: 1 });
    expect(first?.last_error).toBe("never opened the chat: Bad Request: chat not found");
    const calls = () => s.emulator.state.stats.calls.sendMessage ?? 0;
    expect(calls()).toBe(1);

    // More for them: held without a request each, and not retried in a loop.
    s.put("a:2", admin, "test.echo", { text: "second" });
    s.put("a:short", admin, "test.echo", { text: "too late" }, s.clock.now());
    s.db.prepare("UPDATE outbox SET deadline_at = '2026-03-01T02:00:00.000Z' WHERE key = 'a:short'").run();
    for (let i = 0; i < 3; i++) {
      s.clock.advance(60_000);
      await s.sender.drainOnce();
    }
    expect(calls()).toBe(1);
    expect(outboxRows(s.db).map((r) => r.state)).toEqual(["waiting", "waiting", "waiting"]);

    // Three hours later they press Start: what is still in time goes out, in order.
    s.clock.advance(3 * 3_600_000);
    s.emulator.state.ensureUser({ id: admin, first_name: "Admin" });
    expect(markReachable(s.db, admin)).toBe(3);
    expect(await s.sender.drainOnce()).toMatchObject({ sent: 2, expired: 1 });
    expect(s.botTexts(admin)).toEqual(["first", "second"]);
    const byKey = Object.fromEntries(outboxRows(s.db).map((r) => [r.key, r]));
    expect(byKey["a:short"]?.state).toBe("expired");
    expect(byKey["a:short"]?.last_error).toMatch(
      /^not sent by its deadline 2026-03-01T02:00:00.000Z after 0 attempt\(s\); last: waits for the person/,
    );
    expect(markReachable(s.db, admin)).toBe(0);
  });

  it("any private update from them (the context middleware) releases what waits", async () => {
    const h = await createHarness();
    const user = { id: 515, first_name: "Wang", language_code: "zh-hans" };
    const now = h.clock.now();
    enqueue(h.db, { key: "w:1", chatId: user.id, template: "staff.digest", dueAt: now }, now);
    h.db.prepare("UPDATE outbox SET state = 'waiting' WHERE key = 'w:1'").run();
    await h.send(user, "/start");
    expect(h.db.prepare("SELECT state FROM outbox WHERE key = 'w:1'").pluck().get()).toBe("pending");
  });
});
