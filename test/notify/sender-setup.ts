import { Api } from "grammy";
import { ManualClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { silentLogger } from "../../src/logger.ts";
import { enqueue } from "../../src/notify/outbox.ts";
import type { SenderDeps } from "../../src/notify/sender.ts";
import { createSender } from "../../src/notify/sender.ts";
import { TEMPLATES } from "../../src/messages/index.ts";
import type { Template } from "../../src/notify/template.ts";
import type { Emulator } from "../../src/sandbox/emulator/index.ts";
import { createEmulator, DEFAULT_TOKEN } from "../../src/sandbox/emulator/index.ts";
import { addResident, freshDb } from "./fixtures.ts";

export const TEST_TEMPLATES: Record<string, Template> = {
  ...TEMPLATES,
  "test.echo": (_ctx, p) => ({ text: String(p.text) }),
  "test.title": (ctx) => ({ text: ctx.t("notify:reminder.title") }),
  "test.null": () => null,
  "test.throws": () => {
    throw new Error("boom");
  },
  "test.multi": (_ctx, p) => [
    {
      text: `${String(p.text)} (file)`,
      document: { bytes: new TextEncoder().encode("a,b\n1,2\n"), filename: "figures.csv" },
    },
    { text: `${String(p.text)} (text)` },
  ],
};

const running: Emulator[] = [];

/** Stops every emulator the tests started. */
export async function stopAll(): Promise<void> {
  await Promise.all(running.splice(0).map((e) => e.stop()));
}

export async function startEmulator(rateLimit = true, port = 0): Promise<Emulator> {
  const emulator = createEmulator({ rateLimit: rateLimit ? { enabled: true } : false });
  await emulator.start(port);
  running.push(emulator);
  return emulator;
}

/** An emulator with Telegram's limits, a fresh database and a sender pointed at them. */
export async function senderSetup(options: { rateLimit?: boolean; sender?: Partial<SenderDeps> } = {}) {
  let emulator = await startEmulator(options.rateLimit ?? true);
  const db = freshDb();
  const config = parseConfig({});
  const i18n = await createI18n(config.defaultLocale);
  const clock = new ManualClock("2026-03-01T00:00:00.000Z");
  const api = new Api(DEFAULT_TOKEN, { apiRoot: emulator.apiRoot as string });
  const sender = createSender({
    db,
    api,
    i18n,
    config,
    clock,
    logger: silentLogger,
    templates: TEST_TEMPLATES,
    ...options.sender,
  });
  const users: { id: number; first_name: string; language_code?: string }[] = [];
  return {
    get emulator() {
      return emulator;
    },
    db,
    config,
    i18n,
    clock,
    api,
    sender,
    /** A resident known to the bot and to the emulator. */
    user(id: number, languageCode?: string, locale?: "zh" | "en") {
      const profile = { id, first_name: `U${id}`, ...(languageCode ? { language_code: languageCode } : {}) };
      users.push(profile);
      emulator.state.ensureUser(profile);
      addResident(db, { ...profile, ...(locale ? { locale } : {}) });
      return id;
    },
    put(
      key: string,
      chatId: number,
      template: string,
      params: Record<string, unknown> = {},
      dueAt = clock.now(),
    ) {
      return enqueue(db, { key, chatId, template, params, dueAt }, clock.now());
    },
    /** Replaces the emulator by a new one on the same port (its users come back, its messages do not). */
    async restartEmulator(port: number) {
      emulator = await startEmulator(options.rateLimit ?? true, port);
      for (const u of users) emulator.state.ensureUser(u);
    },
    botTexts(chatId: number): string[] {
      return emulator.state
        .messages(chatId)
        .filter((m) => m.side === "bot")
        .map((m) => m.text);
    },
  };
}
