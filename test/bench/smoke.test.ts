/**
 * A seconds-long version of every `npm run bench` scenario on a tiny district. It checks that
 * each scenario runs and measures the right thing (no overbooking, first come first served,
 * every reminder queued, every conversation stored); it asserts no timings.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchSenderPace } from "../../bench/sender-bench.ts";
import { FULL } from "../../bench/district.ts";
import type { BenchReport } from "../../bench/report.ts";
import { formatTable } from "../../bench/report.ts";
import { districtDb } from "../../bench/scenarios/common.ts";
import { digest } from "../../bench/scenarios/digest.ts";
import { monthlyDrafts } from "../../bench/scenarios/monthly-drafts.ts";
import { halfYearReview } from "../../bench/scenarios/half-year-review.ts";
import { memory, memoryFigures, openConversations } from "../../bench/scenarios/memory.ts";
import { reminderTick } from "../../bench/scenarios/reminders.ts";
import { rush, rushFigures } from "../../bench/scenarios/rush.ts";
import { startTime } from "../../bench/scenarios/start.ts";
import { throughput, throughputFigures } from "../../bench/scenarios/throughput.ts";

const SCALE = 0.01;

describe("bench smoke (tiny district)", () => {
  let d: ReturnType<typeof districtDb>;
  beforeAll(() => {
    d = districtDb(SCALE);
  });
  afterAll(() => d.dispose());

  it("builds the district deterministically, with the planned counts", () => {
    expect(d.counts.courses).toBe(FULL.courses * SCALE);
    expect(d.counts.users).toBe(FULL.residents * SCALE);
    expect(d.counts.people).toBe((FULL.residents + FULL.family) * SCALE);
    expect(d.counts.enrolments).toBe(FULL.enrolments * SCALE);
    expect(d.counts.attendance).toBe(FULL.attendance * SCALE);
    expect(d.counts.feedback).toBe(FULL.feedback * SCALE);
    const again = districtDb(SCALE);
    try {
      const sample = (db: typeof d.db) =>
        db
          .prepare("SELECT course_id, person_id, status, waitlist_seq FROM enrolments ORDER BY id LIMIT 50")
          .all();
      expect(sample(again.db)).toEqual(sample(d.db));
    } finally {
      again.dispose();
    }
  });

  it("queues exactly the probe course's reminders in the one-minute tick", async () => {
    const r = await reminderTick(d.db, 2);
    expect(r.expected).toBeGreaterThan(0);
    expect(r.queued).toBe(r.expected);
    expect(Number.isFinite(r.ms)).toBe(true);
  });

  it("computes every site's monthly draft", () => {
    const r = monthlyDrafts(d.db, 1);
    expect(r.sites).toBe(d.counts.sites);
    expect(r.courses).toBeGreaterThan(0);
  });

  it("computes the half-year review over the district", async () => {
    const r = await halfYearReview(d.db, 1, false);
    expect(r.figures.sites).toHaveLength(d.counts.sites);
    expect(r.figures.targets[0]?.figure).toBeGreaterThan(0);
    expect(r.documentsMs).toBeNull();
  });

  it("computes the digest over the year", () => {
    const r = digest(d.db, 1);
    expect(r.figures.totals.residentsEducated).toBeGreaterThan(0);
    expect(r.figures.weekly).toHaveLength(8);
    expect(Number.isFinite(r.ms)).toBe(true);
  });

  it("drives the real confirm press, the domain alone and a bare bot; every press enrols and gets its reply", async () => {
    const r = await throughput(d.db, { count: 30, userBase: 50_000_000 });
    expect(r.enrolled).toBeGreaterThanOrEqual(30);
    expect(r.edited).toBe(r.enrolled);
    expect(r.fullPerSecond).toBeGreaterThan(0);
    expect(r.domainPerSecond).toBeGreaterThan(0);
    expect(r.barePerSecond).toBeGreaterThan(0);
    expect(r.ratio).toBeCloseTo(r.fullPerSecond / r.domainPerSecond, 1);
    expect(throughputFigures(r).map((f) => f.name)).toEqual(
      expect.arrayContaining(["ratio full/domain", "ratio full/bare (context)"]),
    );
  });

  it("seats no more than capacity in a rush and keeps the waitlist in arrival order", async () => {
    const r = await rush(d.db, { residents: 120, capacity: 7, userBase: 60_000_000, concurrency: 50 });
    expect(r.overbooked).toBe(0);
    expect(r.seated).toBe(7);
    expect(r.waitlisted).toBe(113);
    expect(r.orderErrors).toBe(0);
    expect(r.unanswered).toBe(0);
    expect(r.p99).toBeGreaterThanOrEqual(r.p50);
    expect(rushFigures(r).find((f) => f.name === "overbooked seats")?.met).toBe(true);
  });

  it("stores one conversation state per person stopped at a wait", async () => {
    const r = await openConversations(d.db, { count: 25, userBase: 70_000_000 });
    expect(r.stateRows).toBe(25);
  });

  it("measures the bot's memory in a process of its own, where every rush press is answered", async () => {
    const r = await memory(d.path, { residents: 60, conversations: 20, userBase: 64_000_000 });
    expect(r.rushAnswered).toBe(60);
    expect(r.stateRows).toBe(20);
    expect(r.rssAfterRushGcMb).toBeGreaterThan(20);
    expect(memoryFigures(r).filter((f) => f.met === false && !f.name.startsWith("RSS"))).toEqual([]);
  }, 60_000);

  it("paces the sender through the emulator", async () => {
    const r = await benchSenderPace({ count: 5 });
    expect(r.count).toBe(5);
    expect(r.rate).toBeGreaterThan(0);
  });

  it("spawns the real bot and gets its reply to /start", async () => {
    const r = await startTime(1);
    expect(r.replied).toBe(true);
    expect(r.bareNodeMs).toBeGreaterThan(0);
  }, 60_000);

  it("prints every figure with its goal", () => {
    const report: BenchReport = {
      startedAt: "",
      machine: { nproc: 2, memoryGb: 4, node: "v20", platform: "linux", cpu: "x" },
      district: {},
      figures: [
        { scenario: "2 registration rush", name: "overbooked seats", value: 0, goal: "0", met: true },
        {
          scenario: "2 registration rush",
          name: "latency p99",
          value: 80,
          unit: "ms",
          goal: "< 50 ms",
          met: false,
        },
      ],
      errors: [],
      totalSeconds: 1,
    };
    const table = formatTable(report);
    expect(table).toContain("overbooked seats");
    expect(table).toMatch(/latency p99\s+80 ms\s+< 50 ms\s+NO/);
    expect(table).toContain("goals met: 1 of 2");
  });
});
