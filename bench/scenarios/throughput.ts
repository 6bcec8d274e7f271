/**
 * Scenario 1: the full stack answering the real "confirm enrolment" press (middleware, the
 * domain transaction, the edited reply) against its ceiling, the domain alone: the one call the
 * press makes (confirmEnrolment, with the first-contact account in its transaction) without
 * grammY. A bare grammY bot answering the same callback with no database is kept for
 * context. The bots go through bot.handleUpdate, one update after another.
 *
 * Telegram: in the timed loops, the bot's calls are answered as Telegram answers them (true for
 * answerCallbackQuery, the edited message for editMessageText) by a small responder, and the
 * time spent inside it is left out of the rates: in production that work is done on Telegram's
 * servers while the bot only waits. The bot's own side of each call (grammY building the request,
 * reading the JSON answer) stays in. After the clock stops, every call is handed to the strict
 * in-memory Telegram of the tests, in order; a call it refuses fails the run. The rate with the
 * strict double answering in the loop, in this process, is reported for context.
 */
import { Bot } from "grammy";
import type { Update } from "grammy/types";
import type { Db } from "../../src/db/connection.ts";
import { enrolRoutes } from "../../src/bot/views/enrol.ts";
import { RUNNER_CONCURRENCY } from "../../src/app.ts";
import { createDispatcher, storeUpdates } from "../../src/bot/inbox.ts";
import { ManualClock } from "../../src/clock.ts";
import { confirmEnrolment } from "../../src/enrollment/flow.ts";
import { silentLogger } from "../../src/logger.ts";
import { addBenchCourse, DISTRICT_NOW } from "../district.ts";
import type { Figure } from "../report.ts";
import { BOT_INFO, confirmData, fakeTelegram, pressUpdate, realBot, round, TOKEN } from "./common.ts";
import type { ApiCall, RefusedCall } from "./common.ts";
import type { SentCall, TelegramFetch } from "./light-telegram.ts";
import { lightTelegram } from "./light-telegram.ts";

export interface ThroughputResult {
  fullPerSecond: number;
  /** The full stack with the strict in-memory Telegram answering in the loop, its time counted. */
  fullWithTelegramPerSecond: number;
  /** The full stack behind the durable inbox (stored, handled, marked), as polling runs it. */
  throughInboxPerSecond: number;
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

/** Presses each loop gets before any clock starts: the code it runs is compiled and optimised by then. */
const warmup = (count: number) => Math.min(300, Math.floor(count / 10));

/** The clock is read in this many rounds, the loops taking turns, so that all meet the same machine. */
const ROUNDS = 6;

/** One timed loop: its i-th press, and the Telegram whose time is left out (if it has one). */
interface Loop {
  handle(i: number): Promise<void>;
  telegram?: Timed;
}

/**
 * Presses a second for each loop, with the time spent inside its Telegram left out: every loop
 * warms up, then the loops take turns over ROUNDS rounds of `count / ROUNDS` presses each.
 */
async function rates<K extends string>(loops: Record<K, Loop>, count: number): Promise<Record<K, number>> {
  const warm = warmup(count);
  const entries = Object.entries(loops) as [K, Loop][];
  for (const [, loop] of entries) for (let i = 0; i < warm; i++) await loop.handle(i);
  const ms = Object.fromEntries(entries.map(([k]) => [k, 0])) as Record<K, number>;
  const per = Math.ceil(count / ROUNDS);
  for (let from = warm; from < warm + count; from += per) {
    const to = Math.min(from + per, warm + count);
    for (const [k, loop] of entries) {
      const before = loop.telegram?.ms ?? 0;
      const t0 = performance.now();
      for (let i = from; i < to; i++) await loop.handle(i);
      ms[k] += performance.now() - t0 - ((loop.telegram?.ms ?? 0) - before);
    }
  }
  return Object.fromEntries(entries.map(([k]) => [k, count / (ms[k] / 1000)])) as Record<K, number>;
}

interface Timed {
  fetch: TelegramFetch;
  /** Milliseconds spent inside the Telegram so far. */
  readonly ms: number;
}

/** A Telegram with a clock around each call: the updates run one after another, so nothing else runs meanwhile. */
function timed(inner: TelegramFetch): Timed {
  const t = {
    ms: 0,
    fetch: async (url: string, init?: RequestInit): Promise<Response> => {
      const t0 = performance.now();
      try {
        return await inner(url, init);
      } finally {
        t.ms += performance.now() - t0;
      }
    },
  };
  return t;
}

/** Hands the kept calls, in order, to the strict in-memory Telegram; returns what it accepted and refused. */
async function checkAfterwards(sent: SentCall[]): Promise<{ accepted: ApiCall[]; refused: RefusedCall[] }> {
  const accepted: ApiCall[] = [];
  const refused: RefusedCall[] = [];
  const strict = fakeTelegram(accepted, refused);
  for (const call of sent)
    await strict(call.url, { body: call.body, headers: { "content-type": "application/json" } });
  sent.length = 0;
  return { accepted, refused };
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
  const { count, userBase } = options;
  const sent: SentCall[] = [];

  // The full stack: each press by a new resident, so that every update really enrols someone.
  const courseId = addBenchCourse(db, { capacity: 1_000_000, now: DISTRICT_NOW, label: "tp" });
  const telegram = timed(lightTelegram((call) => sent.push(call)));
  const bot = await realBot(db, DISTRICT_NOW, undefined, telegram.fetch);
  const fullUpdates = presses(userBase, confirmData(courseId), count);

  // The same press with the strict double answering in the loop, in this process (context).
  const strictCourse = addBenchCourse(db, { capacity: 1_000_000, now: DISTRICT_NOW, label: "tps" });
  const strictBot = await realBot(db, DISTRICT_NOW);
  const strictUpdates = presses(userBase + 2_500_000, confirmData(strictCourse), count);

  // The full stack behind the durable inbox, as polling runs it: each update stored, then handled
  // by the dispatcher and marked handled (context: the goal's full stack is handleUpdate alone).
  const inboxCourse = addBenchCourse(db, { capacity: 1_000_000, now: DISTRICT_NOW, label: "tpi" });
  const inboxBot = await realBot(db, DISTRICT_NOW, undefined, telegram.fetch);
  const inboxUpdates = presses(userBase + 9_000_000, confirmData(inboxCourse), count);
  const clock = new ManualClock(DISTRICT_NOW);
  const dispatcher = createDispatcher({
    db,
    clock,
    logger: silentLogger,
    handle: (u) => inboxBot.handleUpdate(u),
    concurrency: RUNNER_CONCURRENCY,
  });
  const throughInbox = async (i: number) => {
    storeUpdates(db, [inboxUpdates[i] as Update], clock.now());
    dispatcher.wake();
    await dispatcher.idle();
  };

  // The domain alone: a new resident each time too, on a course of the same size, with the call
  // the confirm handler makes.
  const domainCourse = addBenchCourse(db, { capacity: 1_000_000, now: DISTRICT_NOW, label: "tpd" });
  const now = new Date(DISTRICT_NOW);
  const confirmAlone = async (i: number) => {
    const userId = userBase + 5_000_000 + i;
    const contact = { id: userId, first_name: `用户${userId}`, language_code: "zh-hans" };
    const input = { accountId: userId, courseId: domainCourse, ref: "s", contact };
    const done = confirmEnrolment(db, { ...input, flags: { consent: false, acceptClash: false } }, now);
    if (done.kind !== "done") throw new Error(`no enrolment for ${userId}: ${done.kind}`);
  };

  // grammY alone, answering the same press with no database (context).
  const bareTelegram = timed(lightTelegram((call) => sent.push(call)));
  const bare = new Bot(TOKEN, { botInfo: BOT_INFO, client: { fetch: bareTelegram.fetch as never } });
  bare.callbackQuery(enrolRoutes.confirm.pattern, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText("✅", { parse_mode: "HTML" });
  });
  await bare.init();
  const bareUpdates = presses(userBase + 7_500_000, confirmData(courseId), count);

  // The ratio's two loops take turns by themselves: a context loop between them would leave its
  // garbage and its share of WAL checkpoints to whichever of the two ran next.
  const r = {
    ...(await rates(
      {
        full: { handle: (i) => bot.handleUpdate(fullUpdates[i] as Update), telegram },
        domain: { handle: confirmAlone },
      },
      count,
    )),
    ...(await rates(
      {
        strict: { handle: (i) => strictBot.handleUpdate(strictUpdates[i] as Update) },
        inbox: { handle: throughInbox, telegram },
        bare: { handle: (i) => bare.handleUpdate(bareUpdates[i] as Update), telegram: bareTelegram },
      },
      count,
    )),
  };

  await dispatcher.stop();
  const checked = await checkAfterwards(sent);
  if (checked.refused.length > 0)
    throw new Error(
      `Telegram refused ${checked.refused.length} of the bots' calls, e.g. ${JSON.stringify(checked.refused[0])}`,
    );
  const enrolled = (
    db
      .prepare("SELECT count(*) AS n FROM enrolments WHERE course_id = ? AND status = 'enrolled'")
      .get(courseId) as { n: number }
  ).n;
  // The bare bot edits messages too; the full stack's are the ones in its residents' chats.
  const fullChats = new Set(fullUpdates.map((u) => u.callback_query?.from.id));
  return {
    fullPerSecond: round(r.full, 0),
    fullWithTelegramPerSecond: round(r.strict, 0),
    throughInboxPerSecond: round(r.inbox, 0),
    domainPerSecond: round(r.domain, 0),
    barePerSecond: round(r.bare, 0),
    ratio: round(r.full / r.domain, 3),
    bareRatio: round(r.full / r.bare, 3),
    enrolled,
    edited: checked.accepted.filter(
      (c) => c.method === "editMessageText" && fullChats.has(c.payload.chat_id as number),
    ).length,
  };
}

export function throughputFigures(r: ThroughputResult): Figure[] {
  const s = "1 update throughput";
  return [
    { scenario: s, name: "full stack", value: r.fullPerSecond, unit: "updates/s" },
    {
      scenario: s,
      name: "full stack, strict double in the loop (context)",
      value: r.fullWithTelegramPerSecond,
      unit: "updates/s",
    },
    {
      scenario: s,
      name: "full stack behind the durable inbox (context)",
      value: r.throughInboxPerSecond,
      unit: "updates/s",
    },
    { scenario: s, name: "domain alone (ceiling)", value: r.domainPerSecond, unit: "presses/s" },
    { scenario: s, name: "ratio full/domain", value: r.ratio, goal: ">= 0.5", met: r.ratio >= 0.5 },
    { scenario: s, name: "bare grammY (context)", value: r.barePerSecond, unit: "updates/s" },
    { scenario: s, name: "ratio full/bare (context)", value: r.bareRatio },
  ];
}
