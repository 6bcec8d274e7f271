/**
 * Delivery through network faults, against the emulator's fault injection: Telegram refusing
 * connections, a proxy answering HTML 502s, kept-alive connections found dead. Time between
 * tries is the ManualClock's (backoff) and the pace is fast, so that each test takes a second
 * or two. Every test counts what arrived per chat: nothing lost, nothing twice.
 */
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/logger.ts";
import type { SendOutcomeName } from "../../src/notify/sender.ts";
import { createSender } from "../../src/notify/sender.ts";
import { addCourse, addSession, enrol, outboxRows } from "./fixtures.ts";
import { senderSetup, stopAll, TEST_TEMPLATES } from "./sender-setup.ts";

afterEach(stopAll);

const FAST = { perSecond: 1000, burst: 50, perChatIntervalMs: 5 };

async function setup(chats: number, concurrency = 64) {
  const outcomes: SendOutcomeName[] = [];
  // Telegram's limits off: the pace here is far faster than they allow, to keep the tests short.
  const s = await senderSetup({
    rateLimit: false,
    sender: { pace: FAST, concurrency, backoffMs: () => 10_000, onOutcome: (o) => outcomes.push(o) },
  });
  const ids = Array.from({ length: chats }, (_, i) => s.user(7000 + i));
  for (const id of ids) s.put(`fault:${id}`, id, "test.echo", { text: `to ${id}` });
  /** Drains, then moves the clock on by one backoff. */
  const round = async () => {
    const stats = await s.sender.drainOnce();
    s.clock.advance(10_000);
    return stats;
  };
  const expectEachOnce = () => {
    for (const id of ids) expect(s.botTexts(id), String(id)).toEqual([`to ${id}`]);
    expect(outboxRows(s.db).every((r) => r.state === "sent")).toBe(true);
  };
  return { s, ids, outcomes, round, expectEachOnce };
}

describe("delivery through network faults", () => {
  it("connection refused for several backoffs, then recovery: 0 lost, 0 duplicated", async () => {
    const { s, ids, outcomes, round, expectEachOnce } = await setup(40);
    await s.emulator.faults.down();
    for (let i = 0; i < 5; i++) expect(await round()).toMatchObject({ retried: 40, sent: 0, uncertain: 0 });
    const row = outboxRows(s.db)[0];
    expect(row).toMatchObject({ state: "pending", attempts: 5 });
    expect(row?.last_error).toMatch(/^connect: .*ECONNREFUSED/);
    await s.emulator.faults.up();
    expect(await round()).toMatchObject({ sent: 40, retried: 0, uncertain: 0, failed: 0 });
    expectEachOnce();
    expect(s.emulator.state.stats.calls.sendMessage).toBe(ids.length);
    expect(outcomes.filter((o) => o === "retried")).toHaveLength(200);
    expect(outcomes.filter((o) => o === "sent")).toHaveLength(40);
  });

  it("HTML 502 pages from a proxy for a while: retried, never uncertain, 0 lost", async () => {
    const { s, round, expectEachOnce } = await setup(30);
    s.emulator.faults.badGateway = 70;
    let sent = 0;
    for (let i = 0; i < 6 && sent < 30; i++) {
      const stats = await round();
      expect(stats.uncertain).toBe(0);
      sent += stats.sent;
    }
    expect(sent).toBe(30);
    expect(s.emulator.faults.served.badGateway).toBe(70);
    expectEachOnce();
    const errors = outboxRows(s.db).map((r) => r.last_error);
    expect(errors.every((e) => e === null)).toBe(true);
  });

  it("keeps the reason of a 502 while it retries", async () => {
    const { s, round } = await setup(1);
    s.emulator.faults.badGateway = 1;
    expect(await round()).toMatchObject({ retried: 1 });
    expect(outboxRows(s.db)[0]?.last_error).toMatch(
      /^answered: HTTP 502: the answer is not the Bot API's \(<html>/,
    );
  });

  it("kept-alive connections reset before the request was read: retried, 0 uncertain", async () => {
    // Four at a time: the same few connections carry one request after another.
    const { s, round, expectEachOnce } = await setup(60, 4);
    s.emulator.faults.resetReused = 10;
    const first = await round();
    expect(first.uncertain).toBe(0);
    expect(first.retried).toBe(10);
    expect(s.emulator.faults.served.resetReused).toBe(10);
    expect(await round()).toMatchObject({ sent: 10, uncertain: 0 });
    expectEachOnce();
    // The emulator received the 10 reset requests but never read them: 60 handled in all.
    expect(s.emulator.state.stats.calls.sendMessage).toBe(60);
  });

  it("the emulator's control API sets faults over HTTP", async () => {
    const { s } = await setup(1);
    const post = async (body: unknown) =>
      (await (
        await fetch(`${s.emulator.controlUrl}/faults`, { method: "POST", body: JSON.stringify(body) })
      ).json()) as { result: Record<string, unknown> };
    expect((await post({ bad_gateway: 2, reset_reused: 3 })).result).toMatchObject({
      bad_gateway: 2,
      reset_reused: 3,
      down: false,
    });
    await post({ down_ms: 200 });
    await new Promise((r) => setTimeout(r, 60));
    expect(s.emulator.faults.isDown).toBe(true);
    await expect(fetch(`${s.emulator.controlUrl}/health`)).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 300));
    expect(s.emulator.faults.isDown).toBe(false);
    expect((await fetch(`${s.emulator.controlUrl}/health`)).ok).toBe(true);
  });
});

describe("what a failure does, per kind", () => {
  it("Telegram's own 5xx is retried, never uncertain", async () => {
    const { s, round, expectEachOnce } = await setup(3);
    s.emulator.state.injectError("sendMessage", { error_code: 502, description: "Bad Gateway" }, 2);
    s.emulator.state.injectError("sendMessage", { error_code: 500, description: "Internal Server Error" }, 1);
    expect(await round()).toMatchObject({ retried: 3, uncertain: 0, sent: 0 });
    expect(outboxRows(s.db)[0]?.last_error).toBe("Bad Gateway");
    expect(await round()).toMatchObject({ sent: 3 });
    expectEachOnce();
  });

  it("a message in several parts resumes after the part Telegram took, sending nothing twice", async () => {
    const { s, round } = await setup(0);
    const id = s.user(7600);
    s.put("multi", id, "test.multi", { text: "weekly" });
    // The file goes through; the text after it meets a 502.
    s.emulator.state.injectError("sendMessage", { error_code: 502, description: "Bad Gateway" });
    expect(await round()).toMatchObject({ retried: 1, sent: 0, uncertain: 0 });
    expect(outboxRows(s.db)[0]).toMatchObject({ state: "pending" });
    expect(await round()).toMatchObject({ sent: 1 });
    const messages = s.emulator.state.messages(id);
    expect(messages.map((m) => m.text)).toEqual(["weekly (file)", "weekly (text)"]);
    expect(outboxRows(s.db)[0]?.message_id).toBe(messages[0]?.message_id);
  });

  it("a class reminder that may have arrived is sent once more, once; a broadcast is not", async () => {
    const { s } = await setup(0);
    const id = s.user(7700, "en");
    const course = addCourse(s.db);
    const startsAt = "2026-03-01T10:00:00.000Z";
    const session = addSession(s.db, course, startsAt);
    const person = s.db.prepare("SELECT id FROM people WHERE account_id = ?").pluck().get(id) as number;
    enrol(s.db, course, person, id);
    const params = { sessionId: session, personId: person, startsAt, lead: 24 };
    s.put("reminder:a", id, "notify.reminder", params);
    s.put("bc:a", id, "test.echo", { text: "broadcast" });
    expect(s.db.prepare("SELECT deadline_at FROM outbox WHERE key = 'reminder:a'").pluck().get()).toBe(
      startsAt,
    );
    // The process died in the middle of sending both.
    s.db.prepare("UPDATE outbox SET state = 'sending', attempts = 1").run();
    const restarted = () =>
      createSender({
        db: s.db,
        api: s.api,
        i18n: s.i18n,
        config: s.config,
        clock: s.clock,
        logger: silentLogger,
        templates: TEST_TEMPLATES,
        pace: FAST,
        backoffMs: () => 1000,
      });
    expect(await restarted().drainOnce()).toMatchObject({ uncertain: 2, sent: 0 });
    const byKey = () => Object.fromEntries(outboxRows(s.db).map((r) => [r.key, r]));
    expect(byKey()["reminder:a"]).toMatchObject({
      state: "pending",
      next_attempt_at: "2026-03-01T00:00:01.000Z",
    });
    expect(byKey()["bc:a"]?.state).toBe("uncertain");
    s.clock.advance(1000);
    const again = restarted();
    expect(await again.drainOnce()).toMatchObject({ sent: 1 });
    expect(s.botTexts(id)).toHaveLength(1);
    // A second crash mid-send of the same reminder: no third try.
    s.db.prepare("UPDATE outbox SET state = 'sending' WHERE key = 'reminder:a'").run();
    expect(await restarted().drainOnce()).toMatchObject({ uncertain: 1, sent: 0 });
    expect(byKey()["reminder:a"]?.state).toBe("uncertain");
  });
});
