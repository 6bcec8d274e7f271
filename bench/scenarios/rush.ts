/**
 * Scenario 2: `residents` new residents press the real confirm button on one `capacity`-seat
 * course at once, fed with the concurrency the bot's runner uses in production
 * (RUNNER_CONCURRENCY in src/app.ts) through bot.handleUpdate, so createBot's sequentialize
 * and every middleware take part. The bot talks to the strict in-memory Telegram unless `under`
 * brings another (the memory scenario's light one).
 */
import { RUNNER_CONCURRENCY } from "../../src/app.ts";
import type { Db } from "../../src/db/connection.ts";
import { addBenchCourse, DISTRICT_NOW } from "../district.ts";
import type { Figure } from "../report.ts";
import { confirmData, feedConcurrently, percentile, round, strictBot } from "./common.ts";
import type { BotUnderTest } from "./common.ts";

export interface RushResult {
  residents: number;
  capacity: number;
  seated: number;
  waitlisted: number;
  /** Seats given beyond capacity (must be 0). */
  overbooked: number;
  /**
   * Violations of first come, first served, against the order the updates were fed: a seat
   * given to someone who came after a person put on the waitlist, adjacent waitlist entries in
   * the wrong order, and duplicate or missing waitlist numbers.
   */
  orderErrors: number;
  /** Presses that got no edited reply. */
  unanswered: number;
  p50: number;
  p99: number;
  max: number;
  concurrency: number;
  /** From the first press fed to the last one answered. */
  drainSeconds: number;
}

export async function rush(
  db: Db,
  options: { residents: number; capacity: number; userBase: number; concurrency?: number },
  under?: BotUnderTest,
): Promise<RushResult> {
  const courseId = addBenchCourse(db, { capacity: options.capacity, now: DISTRICT_NOW, label: "rush" });
  const { bot, press, repliedChats } = under ?? (await strictBot(db));
  const data = confirmData(courseId);
  const updates = Array.from({ length: options.residents }, (_, i) => press(options.userBase + i, data));
  const concurrency = options.concurrency ?? RUNNER_CONCURRENCY;
  const t0 = performance.now();
  const latencies = await feedConcurrently((u) => bot.handleUpdate(u), updates, concurrency);
  const drainSeconds = (performance.now() - t0) / 1000;

  // Arrival order = feed order; user ids were handed out in that order.
  const rows = db
    .prepare(
      `SELECT account_id, status, waitlist_seq FROM enrolments WHERE course_id = ? AND status <> 'cancelled'`,
    )
    .all(courseId) as { account_id: number; status: string; waitlist_seq: number | null }[];
  const arrival = (accountId: number) => accountId - options.userBase;
  const seated = rows.filter((r) => r.status === "enrolled" || r.status === "offered");
  const waiting = rows
    .filter((r) => r.status === "waitlisted")
    .sort((a, b) => (a.waitlist_seq ?? 0) - (b.waitlist_seq ?? 0));
  let orderErrors = 0;
  const firstWaiting = Math.min(...waiting.map((r) => arrival(r.account_id)));
  orderErrors += seated.filter((r) => arrival(r.account_id) > firstWaiting).length;
  for (let i = 1; i < waiting.length; i++) {
    const prev = waiting[i - 1];
    const cur = waiting[i];
    if (!prev || !cur) continue;
    if (arrival(cur.account_id) < arrival(prev.account_id)) orderErrors += 1;
    if (cur.waitlist_seq !== (prev.waitlist_seq ?? 0) + 1) orderErrors += 1;
  }
  if (waiting.length > 0 && waiting[0]?.waitlist_seq !== 1) orderErrors += 1;
  // Everyone who pressed must hold exactly one row (seat or waitlist) and have had a reply.
  const missing = options.residents - rows.length;
  const edited = repliedChats();
  return {
    residents: options.residents,
    capacity: options.capacity,
    seated: seated.length,
    waitlisted: waiting.length,
    overbooked: Math.max(0, seated.length - options.capacity),
    orderErrors: orderErrors + Math.max(0, missing),
    unanswered: updates.filter((u) => !edited.has(u.callback_query?.from.id ?? 0)).length,
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(Math.max(...latencies)),
    concurrency,
    drainSeconds: round(drainSeconds, 1),
  };
}

export function rushFigures(r: RushResult, label = ""): Figure[] {
  const s = `2 registration rush${label}`;
  const info = label !== "";
  return [
    { scenario: s, name: "residents / seats", value: `${r.residents} / ${r.capacity}` },
    { scenario: s, name: "updates in flight", value: r.concurrency },
    { scenario: s, name: "seated / waitlisted", value: `${r.seated} / ${r.waitlisted}` },
    { scenario: s, name: "overbooked seats", value: r.overbooked, goal: "0", met: r.overbooked === 0 },
    { scenario: s, name: "waitlist order errors", value: r.orderErrors, goal: "0", met: r.orderErrors === 0 },
    { scenario: s, name: "presses without a reply", value: r.unanswered, goal: "0", met: r.unanswered === 0 },
    { scenario: s, name: "latency p50", value: r.p50, unit: "ms" },
    info
      ? { scenario: s, name: "latency p99", value: r.p99, unit: "ms" }
      : { scenario: s, name: "latency p99", value: r.p99, unit: "ms", goal: "< 50 ms", met: r.p99 < 50 },
    { scenario: s, name: "latency max", value: r.max, unit: "ms" },
    { scenario: s, name: "all presses answered after", value: r.drainSeconds, unit: "s" },
  ];
}
