import { describe, expect, it } from "vitest";
import { importCatalogFile } from "../../src/catalog/import.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { seedDemo } from "../../src/demo/demo.ts";
import { createHarness } from "../helpers/bot-harness.ts";
import type { ApiCall } from "../helpers/bot-harness.ts";

/**
 * "One answer, one message": every screen a demo resident can reach from /start, by the menu,
 * a few typed phrases and commands and then every button in turn, answers a tap with at most
 * one message, new or edited. Next steps ride on the answer's own buttons, never on a second message.
 */

const TZ = "Asia/Shanghai";
const RESIDENTS = [
  { id: 100001, first_name: "王秀兰", language_code: "zh" },
  { id: 100003, first_name: "李建国", language_code: "zh" },
  { id: 100002, first_name: "Emma", language_code: "en" },
];
const TYPED = ["太极拳", "游泳", "weekend art", "/mine", "/help", "/mydata", "/language", "/cancel"];
/** Presses that delete the account would end the walk; /forget has tests of its own. */
const SKIP = /forget/i;
/** Per person: enough to reach every kind of screen, few enough to stay quick. */
const MAX_PRESSES = 150;

type Call = { method: string; payload: Record<string, unknown> };
const newMessages = (calls: ApiCall[]) =>
  (calls as unknown as Call[]).filter((c) =>
    /^(send(Message|Photo|Document|MediaGroup)|editMessage(Text|Caption|Media))$/.test(c.method),
  );
const describeCalls = (calls: Call[]) =>
  calls
    .map((c) => `${c.method}: ${String(c.payload.text ?? c.payload.caption ?? "").split("\n")[0]}`)
    .join(" | ");

/** The toast a form gives a button that is not its own. */
const inForm = (calls: ApiCall[]) =>
  (calls as unknown as Call[]).some(
    (c) =>
      c.method === "answerCallbackQuery" &&
      /请先完成正在填写|Please finish this form/.test(String(c.payload.text ?? "")),
  );

function keyboardsOf(calls: ApiCall[]) {
  const inline: string[] = [];
  const reply: string[] = [];
  for (const c of calls as unknown as Call[]) {
    const markup = c.payload.reply_markup as
      | { inline_keyboard?: { callback_data?: string }[][]; keyboard?: ({ text: string } | string)[][] }
      | undefined;
    for (const row of markup?.inline_keyboard ?? [])
      for (const b of row) if (b.callback_data) inline.push(b.callback_data);
    for (const row of markup?.keyboard ?? [])
      for (const b of row) reply.push(typeof b === "string" ? b : b.text);
  }
  return { inline, reply };
}

describe("one answer, one message", () => {
  it("a resident's every tap and typed line costs at most one message", async () => {
    const now = new Date("2026-12-04T06:00:00.000Z");
    const db = openDatabase(":memory:");
    migrate(db);
    importCatalogFile(db, "data/catalog.yaml", { timezone: TZ, now });
    seedDemo(db, { timezone: TZ, now });
    const h = await createHarness({ db, now: now.toISOString(), config: { TIMEZONE: TZ } });

    const doubled: string[] = [];
    let presses = 0;
    for (const user of RESIDENTS) {
      let mine = 0;
      const seen = new Set<string>();
      const queue: string[] = [];
      const step = async (what: string, calls: ApiCall[]) => {
        const sent = newMessages(calls);
        if (sent.length > 1) doubled.push(`${user.first_name} ${what} → ${describeCalls(sent)}`);
        for (const data of keyboardsOf(calls).inline)
          if (!seen.has(data) && !SKIP.test(data)) {
            seen.add(data);
            queue.push(data);
          }
      };
      const start = await h.send(user, "/start");
      await step("/start", start);
      for (const label of keyboardsOf(start).reply) await step(`menu ${label}`, await h.send(user, label));
      for (const typed of TYPED) await step(`typed ${typed}`, await h.send(user, typed));
      for (let data = queue.shift(); data !== undefined && mine < MAX_PRESSES; data = queue.shift()) {
        mine++;
        presses++;
        let got = await h.press(user, data);
        if (inForm(got)) {
          // A form entered by an earlier press holds every button: leave it, then press again.
          await h.send(user, "/cancel");
          got = await h.press(user, data);
        }
        await step(`press ${data}`, got);
      }
    }
    // The walk reaches the screens: a walk that pressed little would prove nothing.
    expect(presses).toBeGreaterThan(300);
    expect(doubled).toEqual([]);
  }, 60_000);
});
