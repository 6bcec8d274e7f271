import { describe, expect, it } from "vitest";
import { cutText, graphemeLength } from "../src/text.ts";

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
