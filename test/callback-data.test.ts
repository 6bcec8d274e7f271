import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cb, parseCb } from "../src/callback-data.ts";
import { inMemoryTelegram } from "../src/sandbox/in-memory-telegram.ts";

const sources = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => ({ file: `${dir}/${f}`, text: readFileSync(`${dir}/${f}`, "utf8") }));

describe("callback data", () => {
  it("is built with cb() and refused over 64 bytes, CJK counted in bytes", () => {
    expect(cb("crm", "k", 12, 30)).toBe("crm:k:12:30");
    expect(cb("x", "a".repeat(62))).toHaveLength(64);
    expect(() => cb("x", "a".repeat(63))).toThrow(/over 64 bytes/);
    // 22 CJK characters are 66 bytes.
    expect(() => cb("书".repeat(22))).toThrow(/over 64 bytes/);
  });

  it("is read back with parseCb for its prefix only", () => {
    expect(parseCb(cb("rst", "l", 3), "rst:l")).toEqual(["3"]);
    expect(parseCb("rst:l", "rst:l")).toEqual([]);
    expect(parseCb("rst:lx:3", "rst:l")).toBeNull();
    expect(parseCb("crm:l:3", "rst:l")).toBeNull();
  });

  it("is never a template string in the bot or the messages: every button goes through cb()", () => {
    const raw: string[] = [];
    for (const { file, text } of [...sources("src/bot"), ...sources("src/messages")]) {
      // A button's data as its own argument or property: `.text(label, `…${x}`)` or `data: `…${x}``.
      const pattern = /(?:callback_data|data): `[^`]*\$\{|\.text\([^;]*?, `[a-z]{2,5}:[^`]*\$\{/g;
      for (const m of text.matchAll(pattern)) raw.push(`${file}: ${m[0]}`);
    }
    expect(raw).toEqual([]);
  });

  it("over 64 bytes is refused by the test double as Telegram refuses it, so bot tests catch one", async () => {
    const fetch = inMemoryTelegram();
    fetch.state.ensureUser({ id: 1, first_name: "A" });
    const send = (data: string) =>
      fetch(`https://api.telegram.org/bot${fetch.state.token}/sendMessage`, {
        body: JSON.stringify({
          chat_id: 1,
          text: "hi",
          reply_markup: { inline_keyboard: [[{ text: "b", callback_data: data }]] },
        }),
      }).then((r) => r.json() as Promise<{ ok: boolean; description?: string }>);
    expect((await send("a".repeat(64))).ok).toBe(true);
    expect(await send("a".repeat(65))).toMatchObject({
      ok: false,
      description: expect.stringContaining("BUTTON_DATA"),
    });
  });
});
