/**
 * The memory scenario's process (bench/scenarios/memory.ts), bundled and run by plain node:
 * `node dist/bench/memory-bot.mjs <database> '{"residents":…,"conversations":…,"userBase":…}'`.
 * Holds the real bot, the district database and the light Telegram; prints one JSON line.
 */
import { openDatabase } from "../src/db/connection.ts";
import { rssMb, settledRssMb } from "./scenarios/common.ts";
import { lightBot } from "./scenarios/light-telegram.ts";
import type { MemoryResult } from "./scenarios/memory.ts";
import { openConversations } from "./scenarios/memory.ts";
import { rush } from "./scenarios/rush.ts";

const [path, json] = process.argv.slice(2);
if (!path || !json) throw new Error("usage: memory-bot.mjs <database> <options as JSON>");
const options = JSON.parse(json) as { residents: number; conversations: number; userBase: number };
const db = openDatabase(path);
const under = await lightBot(db);
const r = await rush(db, { residents: options.residents, capacity: 30, userBase: options.userBase }, under);
const rssAfterRushMb = rssMb();
const rssAfterRushGcMb = await settledRssMb();
const conversations = await openConversations(
  db,
  { count: options.conversations, userBase: options.userBase + 10_000_000 },
  under,
);
db.close();
const result: MemoryResult = {
  residents: options.residents,
  rushAnswered: options.residents - r.unanswered,
  rssAfterRushMb,
  rssAfterRushGcMb,
  ...conversations,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
