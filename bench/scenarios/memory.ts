/**
 * Scenario 6: resident set size with `count` open conversations: each person presses
 * "add a family member" (`enr:a:<course>`), which enters the real enrol-member conversation
 * through the conversations plugin; it asks for a name and stops at its wait, so its state
 * stays in conversation_state.
 */
import type { Db } from "../../src/db/connection.ts";
import { addBenchCourse, DISTRICT_NOW } from "../district.ts";
import type { Figure } from "../report.ts";
import { settledRssMb, feedConcurrently, pressUpdate, realBot, rssMb } from "./common.ts";

export interface MemoryResult {
  conversations: number;
  stateRows: number;
  rssAfterRushMb: number;
  rssWithConversationsMb: number;
  /** The same once settled (see settledRssMb). */
  rssAfterRushGcMb: number;
  rssWithConversationsGcMb: number;
  heapUsedMb: number;
}

export async function openConversations(
  db: Db,
  options: { count: number; userBase: number; rssAfterRushMb: number; rssAfterRushGcMb: number },
): Promise<MemoryResult> {
  const courseId = addBenchCourse(db, { capacity: 100, now: DISTRICT_NOW, label: "conv" });
  const bot = await realBot(db, DISTRICT_NOW);
  const countStates = () =>
    (db.prepare("SELECT count(*) AS n FROM conversation_state").get() as { n: number }).n;
  const before = countStates();
  const updates = Array.from({ length: options.count }, (_, i) =>
    pressUpdate(options.userBase + i, `enr:a:${courseId}`),
  );
  await feedConcurrently((u) => bot.handleUpdate(u), updates, 500);
  const stateRows = countStates() - before;
  return {
    conversations: options.count,
    stateRows,
    rssAfterRushMb: options.rssAfterRushMb,
    rssAfterRushGcMb: options.rssAfterRushGcMb,
    rssWithConversationsMb: rssMb(),
    rssWithConversationsGcMb: await settledRssMb(),
    heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1024 / 1024),
  };
}

export function memoryFigures(r: MemoryResult): Figure[] {
  const s = "6 memory";
  const mb = (name: string, value: number, goal: boolean) =>
    goal
      ? { scenario: s, name, value, unit: "MB", goal: "< 200 MB", met: value < 200 }
      : { scenario: s, name, value, unit: "MB" };
  return [
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
