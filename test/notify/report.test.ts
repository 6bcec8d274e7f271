import { describe, expect, it } from "vitest";
import { enqueue } from "../../src/notify/outbox.ts";
import { formatOutboxReport, outboxReport } from "../../src/notify/report.ts";
import { freshDb } from "./fixtures.ts";

describe("outboxReport", () => {
  it("counts rows by state and says why rows failed", () => {
    const db = freshDb();
    const now = new Date("2026-03-01T00:00:00.000Z");
    for (let i = 0; i < 4; i++) enqueue(db, { key: `k${i}`, chatId: 1, template: "t", dueAt: now }, now);
    enqueue(db, { key: "future", chatId: 1, template: "t", dueAt: new Date("2026-03-02T00:00:00Z") }, now);
    db.prepare("UPDATE outbox SET state = 'sent' WHERE key = 'k0'").run();
    db.prepare(
      "UPDATE outbox SET state = 'failed', attempts = 1, last_error = 'Bad Request: chat not found' WHERE key = 'k1'",
    ).run();
    db.prepare(
      "UPDATE outbox SET state = 'uncertain', attempts = 1, last_error = 'interrupted while sending' WHERE key = 'k2'",
    ).run();
    const report = outboxReport(db, now);
    expect(report.counts).toEqual({
      pending: 2,
      sending: 0,
      sent: 1,
      failed: 1,
      cancelled: 0,
      uncertain: 1,
      dropped: 0,
      expired: 0,
      waiting: 0,
    });
    expect(report.overdue).toBe(1);
    const text = formatOutboxReport(report);
    expect(text).toContain("k1 → chat 1, 1 attempt(s): Bad Request: chat not found");
    expect(text).toMatch(/Uncertain.*\n {2}k2/);
  });
});
