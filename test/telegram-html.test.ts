import { describe, expect, it } from "vitest";
import { parseHtml } from "../src/sandbox/emulator/index.ts";
import { fitMessage, MESSAGE_LIMIT, parsedLength, splitMessage } from "../src/telegram-html.ts";

describe("fitMessage", () => {
  it("leaves short text alone", () => {
    expect(fitMessage("<b>a</b>\nb")).toBe("<b>a</b>\nb");
  });

  it("cuts long text at a line break, so the HTML stays valid and under Telegram's limit", () => {
    const line = `<b>${"课".repeat(30)}</b> <a href="https://t.me/x?start=vs_ABC">link</a>`;
    const text = Array.from({ length: 200 }, () => line).join("\n");
    const fitted = fitMessage(text);
    expect(parseHtml(fitted).text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(fitted.endsWith("\n…")).toBe(true);
    // A naive slice would leave a tag open; the emulator parses HTML as Telegram does.
    expect(() => parseHtml(text.slice(0, 4096))).toThrow();
    expect(() => parseHtml(fitted)).not.toThrow();
  });
});

describe("cutting and splitting long HTML", () => {
  // One long line: no line break to cut at, so the cut falls inside the bold text.
  const long = `<b>${"🙂课a".repeat(1500)}</b> <i>end</i>`;

  it("counts what Telegram counts: the text after tags and references", () => {
    expect(parsedLength("<b>a&amp;b</b> &lt;c&gt; 🙂")).toBe("a&b <c> 🙂".length);
    expect(parsedLength(long)).toBe(parseHtml(long).text.length);
  });

  it("closes the tags open at a cut made between graphemes", () => {
    const fitted = fitMessage(long);
    const parsed = parseHtml(fitted);
    expect(parsed.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(parsed.text.length).toBeGreaterThan(MESSAGE_LIMIT - 10);
    expect(fitted.endsWith("</b>\n…")).toBe(true);
    expect(parsed.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it("splits into parts that each parse and fit, with nothing lost", () => {
    const parts = splitMessage(long);
    expect(parts.length).toBe(2);
    for (const p of parts) expect(parseHtml(p).text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(parts.map((p) => parseHtml(p).text).join("")).toBe(parseHtml(long).text);
    expect(parts[1]?.startsWith("<b>")).toBe(true);
  });

  it("prefers a line break outside every tag", () => {
    const lines = Array.from({ length: 300 }, (_, i) => `<b>${i}</b> ${"课".repeat(20)}`).join("\n");
    const parts = splitMessage(lines);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.startsWith("<b>")).toBe(true);
      expect(parseHtml(p).text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    }
    expect(parts.join("\n")).toBe(lines);
  });
});
