/**
 * Scenario 1: the full stack answering the real "confirm enrolment" press (middleware, the
 * domain transaction, the edited reply) against a bare grammY bot answering the same callback
 * with no database. Both go through bot.handleUpdate with the same in-memory Telegram.
 */
import { Bot } from "grammy";
import type { Db } from "../../src/db/connection.ts";
import { addBenchCourse, DISTRICT_NOW } from "../district.ts";
import type { Figure } from "../report.ts";
import { BOT_INFO, confirmData, fakeTelegram, pressUpdate, realBot, round, TOKEN } from "./common.ts";
import type { ApiCall } from "./common.ts";

export interface ThroughputResult {
  fullPerSecond: number;
  barePerSecond: number;
  ratio: number;
  /** Enrolment rows the full run wrote (one per update: each press is a new resident). */
  enrolled: number;
  edited: number;
}

async function rate(handle: (i: number) => Promise<void>, count: number): Promise<number> {
  const warm = Math.min(50, Math.floor(count / 10));
  for (let i = 0; i < warm; i++) await handle(i);
  const t0 = performance.now();
  for (let i = warm; i < count + warm; i++) await handle(i);
  return count / ((performance.now() - t0) / 1000);
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
  const fullPerSecond = await rate(
    (i) => bot.handleUpdate(pressUpdate(options.userBase + i, data)),
    options.count,
  );

  const bare = new Bot(TOKEN, { botInfo: BOT_INFO, client: { fetch: fakeTelegram() as never } });
  bare.callbackQuery(/^enr:ok:/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText("✅", { parse_mode: "HTML" });
  });
  await bare.init();
  const barePerSecond = await rate(
    (i) => bare.handleUpdate(pressUpdate(options.userBase + i, data)),
    options.count,
  );

  const enrolled = (
    db
      .prepare("SELECT count(*) AS n FROM enrolments WHERE course_id = ? AND status = 'enrolled'")
      .get(courseId) as { n: number }
  ).n;
  return {
    fullPerSecond: round(fullPerSecond, 0),
    barePerSecond: round(barePerSecond, 0),
    ratio: round(fullPerSecond / barePerSecond, 3),
    enrolled,
    edited: calls.filter((c) => c.method === "editMessageText").length,
  };
}

export function throughputFigures(r: ThroughputResult): Figure[] {
  const s = "1 update throughput";
  return [
    { scenario: s, name: "full stack", value: r.fullPerSecond, unit: "updates/s" },
    { scenario: s, name: "bare grammY", value: r.barePerSecond, unit: "updates/s" },
    { scenario: s, name: "ratio full/bare", value: r.ratio, goal: ">= 0.5", met: r.ratio >= 0.5 },
  ];
}
