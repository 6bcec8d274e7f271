/**
 * Scenario 6: the bot's resident set size, in a process that holds what `npm start` holds and
 * nothing else: the real bot, bundled as scripts/build.mjs bundles dist/main.js and run by plain
 * node, on the district database. Telegram there is the light one (light-telegram.ts), which
 * keeps nothing: the strict in-memory Telegram, with every resident's chat, is Telegram's memory,
 * not the bot's (the rush scenario checks the same presses against it). In that process
 * (bench/memory-bot.ts): a registration rush of `residents` presses on a 30-seat course, 8 in
 * flight as in production; then `conversations` residents press "add a family member"
 * (`enr:a:<course>`), which enters the real enrol-member conversation through the conversations
 * plugin; it asks for a name and stops at its wait, so its state stays in conversation_state.
 * RSS is read as it is, and settled (see settledRssMb), after each.
 */
import { spawnSync } from "node:child_process";
import { build } from "esbuild";
import type { Db } from "../../src/db/connection.ts";
import { addBenchCourse, DISTRICT_NOW } from "../district.ts";
import type { Figure } from "../report.ts";
import type { BotUnderTest } from "./common.ts";
import { feedConcurrently, REPO_ROOT, rssMb, settledRssMb, strictBot } from "./common.ts";

export interface ConversationsResult {
  conversations: number;
  stateRows: number;
  rssWithConversationsMb: number;
  /** The same once settled (see settledRssMb). */
  rssWithConversationsGcMb: number;
  heapUsedMb: number;
}

export interface MemoryResult extends ConversationsResult {
  residents: number;
  /** Presses of the rush that got their reply. */
  rushAnswered: number;
  rssAfterRushMb: number;
  rssAfterRushGcMb: number;
}

/** `count` residents stop at the first wait of the enrol-member conversation. */
export async function openConversations(
  db: Db,
  options: { count: number; userBase: number },
  under?: BotUnderTest,
): Promise<ConversationsResult> {
  const courseId = addBenchCourse(db, { capacity: 100, now: DISTRICT_NOW, label: "conv" });
  const { bot, press } = under ?? (await strictBot(db));
  const countStates = () =>
    (db.prepare("SELECT count(*) AS n FROM conversation_state").get() as { n: number }).n;
  const before = countStates();
  const updates = Array.from({ length: options.count }, (_, i) =>
    press(options.userBase + i, `enr:a:${courseId}`),
  );
  await feedConcurrently((u) => bot.handleUpdate(u), updates, 500);
  updates.length = 0;
  return {
    conversations: options.count,
    stateRows: countStates() - before,
    rssWithConversationsMb: rssMb(),
    rssWithConversationsGcMb: await settledRssMb(),
    heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1024 / 1024),
  };
}

/** Where the scenario's process is bundled to (git-ignored, beside dist/main.js). */
const BUNDLE = "dist/bench/memory-bot.mjs";

/** Runs the scenario in its own process on the district database at `dbPath`. */
export async function memory(
  dbPath: string,
  options: { residents: number; conversations: number; userBase: number },
): Promise<MemoryResult> {
  await build({
    entryPoints: ["bench/memory-bot.ts"],
    outfile: BUNDLE,
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  const run = spawnSync(process.execPath, [BUNDLE, dbPath, JSON.stringify(options)], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (run.status !== 0) throw new Error(`the memory process failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as MemoryResult;
}

export function memoryFigures(r: MemoryResult): Figure[] {
  const s = "6 memory";
  const mb = (name: string, value: number, goal: boolean) =>
    goal
      ? { scenario: s, name, value, unit: "MB", goal: "< 200 MB", met: value < 200 }
      : { scenario: s, name, value, unit: "MB" };
  return [
    {
      scenario: s,
      name: "rush presses answered",
      value: `${r.rushAnswered} of ${r.residents}`,
      goal: "all",
      met: r.rushAnswered === r.residents,
    },
    mb("RSS after the rush (settled, after GC)", r.rssAfterRushGcMb, true),
    mb("RSS after the rush (garbage not yet collected)", r.rssAfterRushMb, false),
    {
      scenario: s,
      name: "open conversations stored",
      value: `${r.stateRows} of ${r.conversations}`,
      goal: "all",
      met: r.stateRows === r.conversations,
    },
    mb("RSS with the conversations open (settled, after GC)", r.rssWithConversationsGcMb, true),
    mb("RSS with the conversations open (not yet collected)", r.rssWithConversationsMb, false),
    { scenario: s, name: "JS heap used after GC", value: r.heapUsedMb, unit: "MB" },
  ];
}
