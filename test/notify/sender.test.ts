import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { outboxReport } from "../../src/notify/report.ts";
import { DEFAULT_TOKEN } from "../../src/sandbox/emulator/index.ts";
import { outboxRows } from "./fixtures.ts";
import { senderSetup, stopAll } from "./sender-setup.ts";

afterEach(stopAll);

describe("sender against the emulator's limits", () => {
  it("delivers a broadcast to many chats whole, once each, with no 429", async () => {
    const s = await senderSetup();
    const ids = Array.from({ length: 120 }, (_, i) => s.user(9000 + i));
    for (const id of ids) s.put(`bc:1:${id}`, id, "test.echo", { text: `hello ${id}` });
    const stats = await s.sender.drainOnce();
    expect(stats).toMatchObject({ sent: 120, failed: 0, uncertain: 0, rateLimited: 0 });
    expect(s.emulator.state.stats.tooManyRequests).toBe(0);
    for (const id of ids) expect(s.botTexts(id)).toEqual([`hello ${id}`]);
    const rows = outboxRows(s.db);
    expect(rows.every((r) => r.state === "sent" && r.sent_at === "2026-03-01T00:00:00.000Z")).toBe(true);
    // The recorded message id is the one Telegram gave.
    for (const r of rows)
      expect(s.emulator.state.message(r.chat_id, r.message_id ?? -1)?.text).toBe(`hello ${r.chat_id}`);
    // A second drain sends nothing again.
    expect((await s.sender.drainOnce()).sent).toBe(0);
    expect(s.emulator.state.stats.calls.sendMessage).toBe(120);
  });

  it("spaces messages to one chat so that five in a row draw no 429, in due order", async () => {
    const s = await senderSetup();
    const id = s.user(9100);
    for (let i = 5; i >= 1; i--)
      s.put(
        `seq:${i}`,
        id,
        "test.echo",
        { text: `m${i}` },
        new Date(Date.parse("2026-02-28T23:00:00Z") + i * 1000),
      );
    const stats = await s.sender.drainOnce();
    expect(stats.sent).toBe(5);
    expect(s.emulator.state.stats.tooManyRequests).toBe(0);
    expect(s.botTexts(id)).toEqual(["m1", "m2", "m3", "m4", "m5"]);
  });

  it("sends nothing that is not due yet", async () => {
    const s = await senderSetup();
    const id = s.user(9101);
    s.put("later", id, "test.echo", { text: "later" }, new Date("2026-03-01T00:05:00Z"));
    expect((await s.sender.drainOnce()).sent).toBe(0);
    s.clock.advance(5 * 60_000);
    expect((await s.sender.drainOnce()).sent).toBe(1);
  });

  it("obeys an injected 429's retry_after for every chat, then delivers everything once", async () => {
    const s = await senderSetup();
    const ids = Array.from({ length: 8 }, (_, i) => s.user(9200 + i));
    for (const id of ids) s.put(`x:${id}`, id, "test.echo", { text: `t${id}` });
    s.emulator.state.injectError(
      "sendMessage",
      { error_code: 429, description: "Too Many Requests: retry after 1", retry_after: 1 },
      2,
    );
    const events: { type: string; at: number }[] = [];
    s.emulator.state.events.on("event", (e: { type: string }) =>
      events.push({ type: e.type, at: performance.now() }),
    );
    const state = s.emulator.state;
    const countCall = state.countCall.bind(state);
    state.countCall = (method: string) => {
      events.push({ type: "call", at: performance.now() });
      countCall(method);
    };
    const stats = await s.sender.drainOnce();
    expect(stats).toMatchObject({ sent: 8, rateLimited: 2, failed: 0, uncertain: 0 });
    for (const id of ids) expect(s.botTexts(id)).toEqual([`t${id}`]);
    const errors = events.filter((e) => e.type === "apiError");
    expect(errors).toHaveLength(2);
    const lastError = Math.max(...errors.map((e) => e.at));
    // Requests already on the wire when the 429 came may land just after it; no new one starts
    // for anyone until retry_after has passed.
    const newCalls = events.filter((e) => e.type === "call" && e.at > lastError + 250);
    expect(newCalls.length).toBeGreaterThan(0);
    expect(Math.min(...newCalls.map((e) => e.at)) - lastError).toBeGreaterThanOrEqual(900);
    expect(outboxRows(s.db).every((r) => r.state === "sent")).toBe(true);
  });

  it("on 403 marks the user unreachable, fails that row and cancels their other rows; others still get theirs", async () => {
    const s = await senderSetup();
    const blocked = s.user(9300);
    const fine = s.user(9301);
    s.emulator.state.blockUser(blocked);
    s.put("b:1", blocked, "test.echo", { text: "one" });
    s.put("b:2", blocked, "test.echo", { text: "two" });
    s.put("b:3", blocked, "test.echo", { text: "tomorrow" }, new Date("2026-03-02T00:00:00Z"));
    s.put("f:1", fine, "test.echo", { text: "fine" });
    const stats = await s.sender.drainOnce();
    expect(stats).toMatchObject({ sent: 1, failed: 1 });
    const byKey = Object.fromEntries(outboxRows(s.db).map((r) => [r.key, r]));
    expect(byKey["b:1"]).toMatchObject({
      state: "failed",
      last_error: "Forbidden: bot was blocked by the user",
    });
    expect(byKey["b:2"]?.state).toBe("cancelled");
    expect(byKey["b:3"]?.state).toBe("cancelled");
    expect(byKey["f:1"]?.state).toBe("sent");
    expect(s.db.prepare("SELECT unreachable_at FROM users WHERE id = ?").pluck().get(blocked)).toBe(
      "2026-03-01T00:00:00.000Z",
    );
    expect(s.emulator.state.stats.calls.sendMessage).toBe(2);
    // Later messages for them are cancelled without a request.
    s.put("b:4", blocked, "test.echo", { text: "four" });
    expect(await s.sender.drainOnce()).toMatchObject({ cancelled: 1, sent: 0 });
    expect(s.emulator.state.stats.calls.sendMessage).toBe(2);
  });

  it("fails a 400 with Telegram's description, drops a null template, fails unknown or broken templates", async () => {
    const s = await senderSetup();
    const id = s.user(9400);
    s.put("bad", id, "test.echo", { text: "<b>unclosed" });
    s.put("null", id, "test.null");
    s.put("unknown", id, "test.nope");
    s.put("throws", id, "test.throws");
    const stats = await s.sender.drainOnce();
    expect(stats).toMatchObject({ failed: 3, dropped: 1, sent: 0 });
    const byKey = Object.fromEntries(outboxRows(s.db).map((r) => [r.key, r]));
    expect(byKey.bad?.state).toBe("failed");
    expect(byKey.bad?.last_error).toMatch(/^Bad Request: can't parse entities/);
    expect(byKey.null?.state).toBe("dropped");
    expect(byKey.unknown?.last_error).toContain("unknown template: test.nope");
    expect(byKey.throws?.last_error).toContain("boom");
    const report = outboxReport(s.db, s.clock.now());
    expect(report.counts).toMatchObject({ failed: 3, dropped: 1 });
    expect(report.failed.map((f) => f.error)).toContain("render: boom");
  });

  it("renders in the recipient's current language", async () => {
    const s = await senderSetup();
    const en = s.user(9500, "en-GB");
    const zh = s.user(9501, "zh-hans");
    const chose = s.user(9502, "zh-hans", "en");
    const other = s.user(9503, "es");
    for (const id of [en, zh, chose, other]) s.put(`t:${id}`, id, "test.title");
    await s.sender.drainOnce();
    expect(s.botTexts(en)).toEqual(["⏰ Class reminder"]);
    expect(s.botTexts(zh)).toEqual(["⏰ 上课提醒"]);
    expect(s.botTexts(chose)).toEqual(["⏰ Class reminder"]);
    expect(s.botTexts(other)).toEqual(["⏰ 上课提醒"]);
  });

  it("sends a message in several parts (a file, then text), in order", async () => {
    const s = await senderSetup();
    const id = s.user(9600);
    s.put("multi", id, "test.multi", { text: "weekly" });
    expect((await s.sender.drainOnce()).sent).toBe(1);
    const messages = s.emulator.state.messages(id);
    expect(messages.map((m) => m.text)).toEqual(["weekly (file)", "weekly (text)"]);
    expect(messages[0]?.document?.file_name).toBe("figures.csv");
    expect(outboxRows(s.db)[0]?.message_id).toBe(messages[0]?.message_id);
  });

  it("a row left 'sending' by a crash becomes uncertain, is not resent, and is reported", async () => {
    const s = await senderSetup();
    const id = s.user(9700);
    s.put("crashed", id, "test.echo", { text: "maybe" });
    s.db.prepare("UPDATE outbox SET state = 'sending', attempts = 1 WHERE key = 'crashed'").run();
    s.put("next", id, "test.echo", { text: "next" });
    await s.sender.drainOnce();
    expect(s.botTexts(id)).toEqual(["next"]);
    const report = outboxReport(s.db, s.clock.now());
    expect(report.counts.uncertain).toBe(1);
    expect(report.uncertain[0]).toMatchObject({ key: "crashed", error: "interrupted while sending" });
  });

  it("retries a refused connection with backoff, then delivers once Telegram is back", async () => {
    const s = await senderSetup({ sender: { backoffMs: (n) => n * 10_000 } });
    const id = s.user(9800);
    s.put("net", id, "test.echo", { text: "through" });
    const port = Number(new URL(s.emulator.apiRoot as string).port);
    await s.emulator.stop();
    expect(await s.sender.drainOnce()).toMatchObject({ retried: 1, sent: 0 });
    expect(outboxRows(s.db)[0]).toMatchObject({
      state: "pending",
      attempts: 1,
      next_attempt_at: "2026-03-01T00:00:10.000Z",
    });
    expect(outboxRows(s.db)[0]?.last_error).toMatch(/^connect: .*ECONNREFUSED/);
    await s.restartEmulator(port);
    expect((await s.sender.drainOnce()).sent).toBe(0); // not due again yet
    s.clock.advance(10_000);
    expect((await s.sender.drainOnce()).sent).toBe(1);
    expect(s.botTexts(id)).toEqual(["through"]);
  });

  it("keeps retrying refused connections, a minute apart at most, until the row's deadline, then expires it", async () => {
    const s = await senderSetup({ sender: { pace: { perChatIntervalMs: 5 } } });
    const id = s.user(9801);
    s.put("net2", id, "test.echo", { text: "never" });
    await s.emulator.stop();
    const gaps: number[] = [];
    for (let i = 0; i < 12; i++) {
      await s.sender.drainOnce();
      const row = outboxRows(s.db)[0];
      expect(row?.state).toBe("pending");
      const gap = Date.parse(row?.next_attempt_at ?? "") - s.clock.now().getTime();
      gaps.push(gap);
      s.clock.advance(gap);
    }
    expect(gaps.slice(0, 3)).toEqual([2000, 4000, 8000]);
    expect(Math.max(...gaps)).toBe(60_000);
    // A day after it fell due (test.echo's deadline) it is given up, with the reason.
    s.clock.set(new Date("2026-03-02T00:00:00.000Z"));
    expect(await s.sender.drainOnce()).toMatchObject({ expired: 1, sent: 0 });
    const row = outboxRows(s.db)[0];
    expect(row?.state).toBe("expired");
    expect(row?.last_error).toMatch(
      /^not sent by its deadline 2026-03-02T00:00:00.000Z after 12 attempt\(s\); last: connect: .*ECONNREFUSED/,
    );
  });

  it("records a connection cut mid-request as uncertain, never resending it", async () => {
    const server = createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const s = await senderSetup({ sender: { api: new Api(DEFAULT_TOKEN, { apiRoot }) } });
      s.put("cut", s.user(9802), "test.echo", { text: "?" });
      expect(await s.sender.drainOnce()).toMatchObject({ uncertain: 1, retried: 0 });
      expect(outboxRows(s.db)[0]?.state).toBe("uncertain");
      expect(await s.sender.drainOnce()).toMatchObject({ uncertain: 0, sent: 0 });
    } finally {
      server.close();
    }
  });

  it("start() keeps delivering as rows come, and stop() waits for sends in flight", async () => {
    const s = await senderSetup({ sender: { pollMs: 20 } });
    const id = s.user(9900);
    s.sender.start();
    s.put("live", id, "test.echo", { text: "live" });
    s.sender.wake();
    for (let i = 0; i < 100 && s.botTexts(id).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await s.sender.stop();
    expect(s.botTexts(id)).toEqual(["live"]);
    expect(outboxRows(s.db)[0]?.state).toBe("sent");
  });
});

describe("the sender's own Api", () => {
  it("ignores transformers (auto-retry) on the Api it is given: a 429 is obeyed once, by the sender", async () => {
    const { autoRetry } = await import("@grammyjs/auto-retry");
    const { Api: GrammyApi } = await import("grammy");
    const probe = await senderSetup();
    const api = new GrammyApi(DEFAULT_TOKEN, { apiRoot: probe.emulator.apiRoot as string });
    api.config.use(autoRetry({ maxRetryAttempts: 5 }));
    const s = await senderSetup({ sender: { api } });
    // The sender's api points at the same place as the one passed in: the second emulator.
    const id = s.user(9950);
    probe.emulator.state.ensureUser({ id, first_name: "U" });
    s.put("once", id, "test.echo", { text: "once" });
    probe.emulator.state.injectError("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      retry_after: 1,
    });
    const stats = await s.sender.drainOnce();
    expect(stats).toMatchObject({ sent: 1, rateLimited: 1 });
  });
});
