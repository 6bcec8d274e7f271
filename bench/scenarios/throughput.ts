/**
 * Scenario 1: the full stack answering the real "confirm enrolment" press (middleware, the
 * domain transaction, the edited reply) against its ceiling, the domain alone: the one call the
 * press makes (confirmEnrolment, with the first-contact account in its transaction) without
 * grammY. A bare grammY bot answering the same callback with no database is kept for
 * context. The bots go through bot.handleUpdate with the same in-memory Telegram.
 */
import { Bot } from "grammy";
import type { Update } from "grammy/types";
import type { Db } from "../../src/db/connection.ts";
import { enrolRoutes } from "../../src/bot/views/enrol.ts";
import { confirmEnrolment } from "../../src/enrollment/flow.ts";
import { addBenchCourse, DISTRICT_NOW } from "../district.ts";
import type { Figure } from "../report.ts";
import { BOT_INFO, confirmData, fakeTelegram, pressUpdate, realBot, round, TOKEN } from "./common.ts";
import type { ApiCall } from "./common.ts";

export interface ThroughputResult {
  fullPerSecond: number;
  domainPerSecond: number;
  barePerSecond: number;
  /** Full stack / domain alone: what grammY, middleware and rendering leave of the ceiling. */
  ratio: number;
  /** Full stack / bare grammY, for context. */
  bareRatio: number;
  /** Enrolment rows the full run wrote (one per update: each press is a new resident). */
  enrolled: number;
  edited: number;
}

const warmup = (count: number) => Math.min(50, Math.floor(count / 10));

async function rate(handle: (i: number) => Promise<void>, count: number): Promise<number> {
  const warm = warmup(count);
  for (let i = 0; i < warm; i++) await handle(i);
  const t0 = performance.now();
  for (let i = warm; i < count + warm; i++) await handle(i);
  return count / ((performance.now() - t0) / 1000);
}

/**
 * The presses of residents `userBase`, `userBase + 1`, …, made before the clock starts: building
 * an update is Telegram's work (here the emulator's), not the bot's, and the domain loop has none.
 */
function presses(userBase: number, data: string, count: number): Update[] {
  return Array.from({ length: count + warmup(count) }, (_, i) => pressUpdate(userBase + i, data));
}

export async function throughput(
  db: Db,
  options: { count: number; userBase: number },
): Promise<ThroughputResult> {
  const courseId = addBenchCourse(db, { capacity: 1_000_000, now: DISTRICT_NOW, label: "tp" });
  const calls: ApiCall[] = [];
  const bot = await realBot(db, DISTRICT_NOW, calls);
  const data = confirmData(courseId);
  // Each press by a new resident, so that every update really enrols someone.
  const fullUpdates = presses(options.userBase, data, options.count);
  const fullPerSecond = await rate((i) => bot.handleUpdate(fullUpdates[i] as Update), options.count);

  // The domain alone: a new resident each time too, on a second course of the same size, with
  // the call the confirm handler makes.
  const domainCourse = addBenchCourse(db, { capacity: 1_000_000, now: DISTRICT_NOW, label: "tpd" });
  const now = new Date(DISTRICT_NOW);
  const domainPerSecond = await rate(async (i) => {
    const userId = options.userBase + 5_000_000 + i;
    const contact = { id: userId, first_name: `用户${userId}`, language_code: "zh-hans" };
    const done = confirmEnrolment(
      db,
      {
        accountId: userId,
        courseId: domainCourse,
        ref: "s",
        flags: { consent: false, acceptClash: false },
        contact,
      },
      now,
    );
    if (done.kind !== "done") throw new Error(`no enrolment for ${userId}: ${done.kind}`);
  }, options.count);

  const bare = new Bot(TOKEN, { botInfo: BOT_INFO, client: { fetch: fakeTelegram() as never } });
  bare.callbackQuery(enrolRoutes.confirm.pattern, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText("✅", { parse_mode: "HTML" });
  });
  await bare.init();
  const bareUpdates = presses(options.userBase, data, options.count);
  const barePerSecond = await rate((i) => bare.handleUpdate(bareUpdates[i] as Update), options.count);

  const enrolled = (
    db
      .prepare("SELECT count(*) AS n FROM enrolments WHERE course_id = ? AND status = 'enrolled'")
      .get(courseId) as { n: number }
  ).n;
  return {
    fullPerSecond: round(fullPerSecond, 0),
    domainPerSecond: round(domainPerSecond, 0),
    barePerSecond: round(barePerSecond, 0),
    ratio: round(fullPerSecond / domainPerSecond, 3),
    bareRatio: round(fullPerSecond / barePerSecond, 3),
    enrolled,
    edited: calls.filter((c) => c.method === "editMessageText").length,
  };
}

export function throughputFigures(r: ThroughputResult): Figure[] {
  const s = "1 update throughput";
  return [
    { scenario: s, name: "full stack", value: r.fullPerSecond, unit: "updates/s" },
    { scenario: s, name: "domain alone (ceiling)", value: r.domainPerSecond, unit: "presses/s" },
    { scenario: s, name: "ratio full/domain", value: r.ratio, goal: ">= 0.5", met: r.ratio >= 0.5 },
    { scenario: s, name: "bare grammY (context)", value: r.barePerSecond, unit: "updates/s" },
    { scenario: s, name: "ratio full/bare (context)", value: r.bareRatio },
  ];
}
