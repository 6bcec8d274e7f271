import { describe, expect, it } from "vitest";
import { parseHtml } from "../src/sandbox/emulator/index.ts";
import { fitMessage } from "../src/telegram-html.ts";

describe("fitMessage", () => {
  it("leaves short text alone", () => {
    expect(fitMessage("<b>a</b>\nb")).toBe("<b>a</b>\nb");
  });

  it("cuts long text at a line break, so the HTML stays valid and under Telegram's limit", () => {
    const line = `<b>${"课".repeat(30)}</b> <a href="https://t.me/x?start=vs_ABC">link</a>`;
    const text = Array.from({ length: 200 }, () => line).join("\n");
    const fitted = fitMessage(text);
    expect(fitted.length).toBeLessThanOrEqual(4000);
    expect(fitted.endsWith("\n…")).toBe(true);
    // A naive slice would leave a tag open; the emulator parses HTML as Telegram does.
    expect(() => parseHtml(text.slice(0, 4000))).toThrow();
    expect(() => parseHtml(fitted)).not.toThrow();
  });
});
