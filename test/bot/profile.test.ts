import { Bot } from "grammy";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { syncBotProfile } from "../../src/bot/profile.ts";
import { createI18n } from "../../src/i18n/index.ts";
import type { Emulator } from "../../src/sandbox/emulator/index.ts";
import { createEmulator } from "../../src/sandbox/emulator/index.ts";

let emu: Emulator;
afterEach(async () => {
  await emu?.stop();
});

describe("the bot's profile", () => {
  it("is set from the locales in zh, en and the default, and left alone when it already matches", async () => {
    emu = createEmulator({ rateLimit: false });
    const { apiRoot } = await emu.start(0);
    const bot = new Bot(emu.state.token, { client: { apiRoot } });
    const i18n = await createI18n("zh");
    const logger = pino({ level: "silent" });
    const first = await syncBotProfile(bot.api, i18n, "zh", logger);
    expect(first).toHaveLength(9);
    expect((await bot.api.getMyName({ language_code: "zh" })).name).toBe("终身学习社区学校");
    expect((await bot.api.getMyName({ language_code: "en" })).name).toBe("Lifelong Community School");
    expect((await bot.api.getMyShortDescription({ language_code: "en" })).short_description).toContain(
      "Press Start",
    );
    expect((await bot.api.getMyDescription()).description).toContain("终身学习社区学校");
    const setsBefore = emu.state.stats.calls.setMyDescription ?? 0;
    expect(await syncBotProfile(bot.api, i18n, "zh", logger)).toEqual([]);
    expect(emu.state.stats.calls.setMyDescription ?? 0).toBe(setsBefore);
  });

  it("the emulator refuses what Telegram refuses", async () => {
    emu = createEmulator({ rateLimit: false });
    const { apiRoot } = await emu.start(0);
    const bot = new Bot(emu.state.token, { client: { apiRoot } });
    await expect(bot.api.setMyShortDescription("字".repeat(121))).rejects.toThrow(
      /SHORT_DESCRIPTION_INVALID/,
    );
    await expect(bot.api.setMyName("n".repeat(65))).rejects.toThrow(/NAME_INVALID/);
  });
});
