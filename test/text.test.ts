import { describe, expect, it } from "vitest";
import { cutText, cutToUnits, graphemeLength } from "../src/text.ts";

/** Telegram refuses text with a lone surrogate; a well-formed string has none. */
const wellFormed = (s: string) =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe("cutText", () => {
  it("returns text that fits unchanged", () => {
    expect(cutText("书法入门", 4)).toBe("书法入门");
    expect(cutText("👨‍👩‍👧 家庭", 4)).toBe("👨‍👩‍👧 家庭");
  });

  it("never splits a surrogate pair, an emoji sequence or a combining mark at any cut", () => {
    const text = "太极🧘‍♀️拳 é👍🏽 Calligraphy 书法 🇨🇳 end";
    for (let max = 1; max <= graphemeLength(text) + 1; max++) {
      const cut = cutText(text, max);
      expect(wellFormed(cut)).toBe(true);
      expect(graphemeLength(cut)).toBeLessThanOrEqual(max);
      if (max < graphemeLength(text)) {
        expect(cut.endsWith("…")).toBe(true);
        expect(text.startsWith(cut.slice(0, -1))).toBe(true);
      }
    }
  });
});

describe("cutToUnits", () => {
  it("keeps the UTF-16 length within the limit and cuts only between graphemes", () => {
    const text = "表👨‍👩‍👧a🙂".repeat(20);
    for (let max = 0; max < 60; max++) {
      const cut = cutToUnits(text, max, "");
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(wellFormed(cut)).toBe(true);
      expect(text.startsWith(cut)).toBe(true);
      // Nothing more would have fitted: the next grapheme is longer than what is left.
      expect(cutToUnits(text, max + 0, "…").length).toBeLessThanOrEqual(Math.max(max, 1));
    }
    expect(cutToUnits("short", 31)).toBe("short");
  });
});
