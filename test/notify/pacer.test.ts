import { describe, expect, it } from "vitest";
import { Pacer } from "../../src/notify/pacer.ts";

describe("Pacer", () => {
  it("lets a small burst through, then one send per 1/perSecond", () => {
    let t = 0;
    const p = new Pacer({ perSecond: 30, burst: 3, perChatIntervalMs: 1000 }, () => t);
    for (let i = 0; i < 3; i++) {
      expect(p.globalWait()).toBe(0);
      p.take();
    }
    expect(p.globalWait()).toBeCloseTo(1000 / 30, 5);
    t += 1000 / 30;
    expect(p.globalWait()).toBe(0);
    // Over ten seconds of asking as fast as allowed, no more than burst + 30/s go out.
    let sent = 0;
    const end = t + 10_000;
    while (t < end) {
      const w = p.globalWait();
      if (w === 0) {
        p.take();
        sent += 1;
      } else t += Math.max(w, 0.01);
    }
    expect(sent).toBeLessThanOrEqual(3 + 300);
    expect(sent).toBeGreaterThanOrEqual(299);
  });

  it("spaces sends to one chat, not to different chats", () => {
    let t = 0;
    const p = new Pacer({ perSecond: 30, burst: 30, perChatIntervalMs: 1000 }, () => t);
    p.markChat(1);
    expect(p.chatWait(1)).toBe(1000);
    expect(p.chatWait(2)).toBe(0);
    t = 400;
    expect(p.chatWait(1)).toBe(600);
    t = 1000;
    expect(p.chatWait(1)).toBe(0);
  });

  it("after a 429 holds every send for retry_after", () => {
    let t = 0;
    const p = new Pacer({ perSecond: 30, burst: 30, perChatIntervalMs: 1000 }, () => t);
    p.pause(3000);
    expect(p.globalWait()).toBe(3000);
    t = 2999;
    expect(p.globalWait()).toBe(1);
    t = 3000;
    expect(p.globalWait()).toBe(0);
  });

  it("a reply goes at once and counts against the chat: the outbox waits until the chat's allowance is whole", async () => {
    let t = 0;
    const p = new Pacer({ perSecond: 30, burst: 30, perChatIntervalMs: 1000, perChatBurst: 3 }, () => t);
    expect(p.chatWait(1)).toBe(0);
    await p.acquireReply(1);
    await p.acquireReply(1);
    // Two replies in a row went without waiting; the outbox now needs two intervals.
    expect(p.chatWait(1)).toBe(2000);
    expect(p.chatWait(1, 1)).toBe(0);
    t = 1500;
    expect(p.chatWait(1)).toBe(500);
    expect(p.chatWait(2)).toBe(0);
  });

  it("a reply waits out a 429's retry_after", async () => {
    const p = new Pacer({ perSecond: 30, burst: 30, perChatIntervalMs: 1000, perChatBurst: 3 });
    p.pause(150);
    const started = performance.now();
    await p.acquireReply(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});
