import type { ApiResponse } from "grammy/types";
import { describe, expect, it } from "vitest";
import { TelegramWatch } from "../../src/ops/telegram-watch.ts";

/** A transformer call whose answer the test decides later. */
function pendingCall(watch: TelegramWatch, method: string, payload: Record<string, unknown> = {}) {
  let answer: (res: ApiResponse<unknown>) => void = () => undefined;
  let fail: (err: Error) => void = () => undefined;
  const prev = () =>
    new Promise<ApiResponse<unknown>>((resolve, reject) => {
      answer = resolve;
      fail = reject;
    });
  const done = (watch.transformer as (...a: unknown[]) => Promise<unknown>)(
    prev,
    method,
    payload,
    undefined,
  ).catch(() => undefined);
  return { answer: (res: ApiResponse<unknown>) => answer(res), fail: (e: Error) => fail(e), done };
}

describe("TelegramWatch", () => {
  it("counts an answer, not a refused token, and an open long poll only within its timeout", async () => {
    let now = 1_000_000;
    const watch = new TelegramWatch(() => now);
    expect(watch.lastReached()).toBeUndefined();

    const me = pendingCall(watch, "getMe");
    now += 5000;
    // A plain request still waiting counts from when it was sent.
    expect(watch.lastReached()).toBe(1_000_000);
    me.answer({ ok: false, error_code: 401, description: "Unauthorized" });
    await me.done;
    expect(watch.lastReached()).toBeUndefined();

    const poll = pendingCall(watch, "getUpdates", { timeout: 30 });
    now += 20_000; // Telegram holds a long poll open while there is nothing to say.
    expect(watch.lastReached()).toBe(now);
    now += 30_000; // past its timeout + 10 s: a hung connection, counted from when it was sent
    expect(watch.lastReached()).toBe(1_005_000);
    poll.answer({ ok: true, result: [] });
    await poll.done;
    expect(watch.lastReached()).toBe(now);

    const down = pendingCall(watch, "getUpdates", { timeout: 30 });
    const at = now;
    now += 1000;
    down.fail(new Error("ECONNREFUSED"));
    await down.done;
    now += 60_000;
    expect(watch.lastReached()).toBe(at);
  });
});
