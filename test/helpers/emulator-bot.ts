/**
 * The real bot in this process, talking over HTTP to the Bot API emulator (strict about what it
 * accepts, keeps what it was sent), with updates handed to the bot one by one as the runner
 * would. Faster than the bot in a child process; the API calls are the same.
 */
import type { BotDeps } from "../../src/bot/context.ts";
import { createBot } from "../../src/bot/create-bot.ts";
import { ManualClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import type { Db } from "../../src/db/connection.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { silentLogger } from "../../src/logger.ts";
import { createEmulator } from "../../src/sandbox/emulator/index.ts";
import type { StoredMessage } from "../../src/sandbox/emulator/types.ts";

export const EMU_TOKEN = "424242:emulator-test-token-abcdefghijklmnop";

export async function emulatorBot(db: Db, now: Date) {
  const emu = createEmulator({ token: EMU_TOKEN, rateLimit: false });
  const { apiRoot } = await emu.start(0);
  const config = parseConfig({ BOT_TOKEN: EMU_TOKEN, BOT_API_ROOT: apiRoot });
  const i18n = await createI18n(config.defaultLocale);
  const deps: BotDeps = { config, db, logger: silentLogger, i18n, clock: new ManualClock(now.toISOString()) };
  const bot = createBot(deps, { token: EMU_TOKEN });
  await bot.init();
  const state = emu.state;
  let offset = 0;
  /** Hands every pending update to the bot, in order, confirming each as polling would. */
  async function pump(): Promise<void> {
    const updates = await state.updates.get({ offset, limit: 100, timeoutSeconds: 0 });
    for (const u of updates) {
      offset = u.update_id + 1;
      await bot.handleUpdate(u as never);
    }
  }
  /** The bot messages that arrived in a chat while `act` ran. */
  async function after(chatId: number, act: () => void): Promise<StoredMessage[]> {
    const before = new Set(state.messages(chatId).map((m) => m.message_id));
    act();
    await pump();
    return state.messages(chatId).filter((m) => m.side === "bot" && !before.has(m.message_id));
  }
  return {
    emu,
    bot,
    deps,
    state,
    /** The person opens the chat (presses Start in their Telegram client). */
    open(id: number, language_code = "zh", first_name = `u${id}`) {
      state.ensureUser({ id, first_name, language_code });
    },
    /** The person types a text; returns the bot's new messages in that chat. */
    say: (id: number, text: string) => after(id, () => void state.sendText(id, text)),
    /** The person presses an inline button; returns the bot's new messages in that chat. */
    press: (id: number, messageId: number, data: string) =>
      after(id, () => void state.pressButton(id, messageId, data)),
    stop: () => emu.stop(),
  };
}
