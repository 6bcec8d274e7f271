/**
 * Delivery through network faults, against the emulator's fault injection: Telegram refusing
 * connections, a proxy answering HTML 502s, kept-alive connections found dead. Time between
 * tries is the ManualClock's (backoff) and the pace is fast, so that each test takes a second
 * or two. Every test counts what arrived per chat: nothing lost, nothing twice.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { SendOutcomeName } from "../../src/notify/sender.ts";
import { outboxRows } from "./fixtures.ts";
import { senderSetup, stopAll } from "./sender-setup.ts";

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
