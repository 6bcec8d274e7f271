import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { botToken } from "../../src/config.ts";
import { chatTag, chatTagKey } from "../../src/ops/chat-tag.ts";
import { createHarness } from "../helpers/bot-harness.ts";

/** A pino logger at `level` whose JSON lines land in `lines`. */
function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const logger = pino(
    { level },
    {
      write(s: string) {
        raw.push(s);
        lines.push(JSON.parse(s) as Record<string, unknown>);
      },
    },
  );
  return { logger, lines, raw };
}

const WANG = { id: 7_501_234_567, first_name: "王秀兰", language_code: "zh-hans" };

async function converse(level: string) {
  const h = await createHarness();
  const log = capture(level);
  h.deps.logger = log.logger;
  await h.send(WANG, "/start");
  await h.send(WANG, "书法 周末");
  await h.send(WANG, "/forget");
  await h.press(WANG, "my:fy");
  return { ...log, key: chatTagKey(botToken(h.deps.config)) };
}

describe("logs of an update's handling", () => {
  it("carry the update id and the chat, hashed for a resident, on every line", async () => {
    const { lines, key } = await converse("debug");
    const tag = chatTag(WANG.id, "private", key);
    expect(tag).toMatch(/^p-[0-9a-f]{12}$/);
    const handled = lines.filter((l) => l.msg === "update handled");
    expect(handled.map((l) => l.update_id)).toEqual([1, 2, 3, 4]);
    for (const line of lines) {
      expect(line.update_id, JSON.stringify(line)).toBeTypeOf("number");
      expect(line.chat, JSON.stringify(line)).toBe(tag);
    }
  });

  it("hold no personal text at info level: no name, no message, no Telegram id", async () => {
    const { lines, raw } = await converse("info");
    expect(lines.map((l) => l.msg)).toContain("account forgotten");
    for (const line of raw) {
      expect(line).not.toContain("王秀兰");
      expect(line).not.toContain("书法");
      expect(line).not.toContain(String(WANG.id));
    }
  });

  it("tags a person the same way every time, differently per bot, and leaves group ids as they are", () => {
    expect(chatTag(42, "private", "a")).toBe(chatTag(42, "private", "a"));
    expect(chatTag(42, "private", "a")).not.toBe(chatTag(42, "private", "b"));
    expect(chatTag(-100123, "supergroup", "a")).toBe(-100123);
  });
});
