import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cb, cbFeature, cbRoute, field } from "../src/callback-data.ts";
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

  it("is declared once as a route that builds the data, matches it and reads it back typed", () => {
    const course = cbRoute("cert:c", field.id, field.id, field.optional(field.oneOf("a")));
    expect(course.data(12, 34)).toBe("cert:c:12:34");
    expect(course.data(12, 34, "a")).toBe("cert:c:12:34:a");
    expect(course.pattern.test("cert:c:12:34")).toBe(true);
    expect(course.read("cert:c:12:34".match(course.pattern)!)).toEqual([12, 34, undefined]);
    expect(course.parse(course.data(12, 34, "a"))).toEqual([12, 34, "a"]);
    expect(course.parse(course.data(0, 999_999_999_999))).toEqual([0, 999_999_999_999, undefined]);

    const ref = cbRoute("enr:p", field.id, field.idOr("s"), field.word);
    expect(ref.parse(ref.data(5, "s", "-"))).toEqual([5, "s", "-"]);
    expect(ref.parse(ref.data(5, 77, "cx"))).toEqual([5, 77, "cx"]);

    const exact = cbRoute("stf:m");
    expect(exact.data()).toBe("stf:m");
    expect(exact.parse("stf:m")).toEqual([]);

    // Free text runs to the end, ":" and newlines included.
    const list = cbRoute("crs:l", field.id, field.text);
    expect(list.parse(list.data(2, "q.a:b\n书"))).toEqual([2, "q.a:b\n书"]);
  });

  it("does not match a near miss: extra field, wrong prefix, non-numeric id, a longer prefix", () => {
    const list = cbRoute("rst:l", field.id);
    expect(list.parse("rst:l:3")).toEqual([3]);
    expect(list.parse("rst:l:3:4")).toBeNull();
    expect(list.parse("rst:l")).toBeNull();
    expect(list.parse("crm:l:3")).toBeNull();
    expect(list.parse("rst:l:x")).toBeNull();
    expect(list.parse("rst:l:-3")).toBeNull();
    expect(list.parse("rst:lx:3")).toBeNull();
    expect(list.parse("rst:l:1234567890123")).toBeNull();
    expect(cbRoute("rst:l").parse("rst:lx")).toBeNull();
    const offer = cbRoute("off", field.oneOf("a", "d"), field.id);
    expect(offer.parse("off:a:1")).toEqual(["a", 1]);
    expect(offer.parse("off:x:1")).toBeNull();
    expect(offer.parse("off:ad:1")).toBeNull();
    const flag = cbRoute("mo:ok", field.id, field.optional(field.oneOf("x")));
    expect(flag.parse("mo:ok:1:y")).toBeNull();
    expect(flag.parse("mo:ok:1:")).toBeNull();
    expect(cbFeature("crs").pattern.test("crs:anything")).toBe(true);
    expect(cbFeature("crs").pattern.test("crsx:1")).toBe(false);
  });

  it("refuses to build data the route would not match, or over 64 bytes", () => {
    const code = cbRoute("tm:j", field.word, field.id);
    expect(() => code.data("AB:CD", 1)).toThrow(/bad value/);
    expect(() => code.data("", 1)).toThrow(/bad value/);
    expect(() => code.data("AB", 1.5)).toThrow(/bad value/);
    expect(() => code.data("AB", -1)).toThrow(/bad value/);
    expect(() => code.data(undefined as unknown as string, 1)).toThrow(/bad value/);
    // @ts-expect-error: one value short
    expect(() => code.data("AB")).toThrow(/takes 2 values/);
    expect(() => cbRoute("off", field.oneOf("a", "d"), field.id).data("x" as "a", 1)).toThrow(/bad value/);
    const search = cbRoute("wsh:q", field.text);
    expect(search.data("书".repeat(19))).toHaveLength(25);
    expect(() => search.data("书".repeat(20))).toThrow(/over 64 bytes/);
    expect(() => cbRoute("Bad prefix")).toThrow(/prefix/);
    expect(() => cbRoute("x", field.optional(field.id), field.id)).toThrow(/last field/);
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
