/**
 * Every way the bot shortens text, with an emoji, an emoji sequence or a CJK character put at
 * every position around the cut: what comes out is sent to the strict Telegram double, which
 * refuses half an emoji (invalid UTF-8), broken HTML and over-long text as Telegram does.
 */
import { describe, expect, it } from "vitest";
import { label } from "../src/bot/features/staff-guard.ts";
import { describeValue } from "../src/catalog/import-errors.ts";
import { boundComment } from "../src/feedback/text.ts";
import { escapeHtml } from "../src/telegram-html.ts";
import { cleanName } from "../src/people/accounts.ts";
import { inMemoryTelegram } from "../src/sandbox/in-memory-telegram.ts";
import { fitMessage, splitMessage } from "../src/telegram-html.ts";
import { cutText, cutToUnits } from "../src/text.ts";

const TOKEN = "42:TEST_TOKEN_abcdefghijklmnopqrstuv";
const CHAT = 7;
const INSERTS = ["🙂", "👨‍👩‍👧", "书", "é"];

const tg = inMemoryTelegram({ stateOptions: { token: TOKEN, rateLimit: false } });
tg.state.ensureUser({ id: CHAT, first_name: "Tester" });

/** Sends through the strict double; resolves to Telegram's answer. */
async function send(payload: Record<string, unknown>): Promise<{ ok: boolean; description?: string }> {
  const res = await tg(`https://api.telegram.org/bot${TOKEN}/sendMessage`, {
    body: JSON.stringify({ chat_id: CHAT, ...payload }),
    headers: { "content-type": "application/json" },
  });
  return (await res.json()) as { ok: boolean; description?: string };
}

/** `length` characters of filler with `insert` at `at`. */
const around = (insert: string, at: number, length: number, filler = "a"): string =>
  filler.repeat(at) + insert + filler.repeat(Math.max(0, length - at));

describe("every cut of user text is one Telegram accepts", () => {
  it("the double refuses what a cut by UTF-16 length makes (so the checks below can fail)", async () => {
    const naive = "🙂".repeat(30).slice(0, 41);
    expect((await send({ text: naive })).description).toContain("UTF-8");
    expect((await send({ text: "a & b", parse_mode: "HTML" })).ok).toBe(false);
    expect((await send({ text: "<b>open", parse_mode: "HTML" })).ok).toBe(false);
  });

  it("wish samples (40), rating comments (120) and labels (40, 18) in HTML and on buttons", async () => {
    for (const insert of INSERTS) {
      for (const [max, length] of [
        [40, 45],
        [120, 125],
        [18, 22],
      ] as const) {
        for (let at = max - 4; at <= max + 1; at++) {
          const typed = around(insert, at, length, at % 2 ? "a" : "课");
          const cut = cutText(typed, max);
          const html = `<b>Wishes</b>\n“${escapeHtml(cut)}”`;
          const answer = await send({
            text: html,
            parse_mode: "HTML",
            reply_markup: { inline_keyboard: [[{ text: label(typed, max), callback_data: "x" }]] },
          });
          expect(answer.ok, `${insert} at ${at}, max ${max}: ${answer.description}`).toBe(true);
        }
      }
    }
  });

  it("roster, digest and lists cut by fitMessage and split by splitMessage", async () => {
    for (const insert of INSERTS) {
      // Lines of bold names: the cut lands near 4,096 with the insert at every position around it.
      for (let shift = 0; shift < 5; shift++) {
        const line = `<b>${"王".repeat(10)}</b> ${"x".repeat(20 + shift)}${insert}`;
        const html = Array.from({ length: 200 }, () => line).join("\n");
        const fitted = await send({ text: fitMessage(html), parse_mode: "HTML" });
        expect(fitted.ok, fitted.description).toBe(true);
        for (const part of splitMessage(html)) {
          const answer = await send({ text: part, parse_mode: "HTML" });
          expect(answer.ok, answer.description).toBe(true);
        }
      }
      // One long line inside a tag: the cut falls between graphemes, and the tag is closed.
      for (let at = 4092; at <= 4097; at++) {
        const html = `<i>${around(insert, at, 4200, "字")}</i>`;
        const answer = await send({ text: fitMessage(html), parse_mode: "HTML" });
        expect(answer.ok, `${insert} at ${at}: ${answer.description}`).toBe(true);
      }
    }
  });

  it("names, comments, import values and sheet names stay whole graphemes", async () => {
    for (const insert of INSERTS) {
      for (let at = 30; at <= 70; at++) {
        const typed = around(insert, at, 70);
        for (const text of [
          cleanName(typed),
          boundComment(around(insert, at + 950, 1010)).text,
          describeValue(typed),
          cutToUnits(typed, 31, ""),
        ]) {
          const answer = await send({ text });
          expect(answer.ok, `${insert} at ${at}: ${answer.description}`).toBe(true);
        }
      }
    }
  });
});
