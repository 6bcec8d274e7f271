import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../../src/app.ts";
import type { App } from "../../src/app.ts";
import { parseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { silentLogger } from "../../src/logger.ts";
import { createEmulator } from "../../src/sandbox/emulator/index.ts";
import type { Emulator } from "../../src/sandbox/emulator/index.ts";
import { E2E_TOKEN } from "../helpers/e2e.ts";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const SECRET = "webhook_secret_123";

describe("webhook mode", () => {
  let emulator: Emulator;
  let app: App;
  let port: number;

  beforeAll(async () => {
    emulator = createEmulator({ token: E2E_TOKEN, rateLimit: false });
    const { apiRoot } = await emulator.start(0);
    port = await freePort();
    const config = parseConfig({
      BOT_TOKEN: E2E_TOKEN,
      BOT_API_ROOT: apiRoot,
      BOT_MODE: "webhook",
      WEBHOOK_URL: `https://school.example/telegram/hook`,
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
    });
    app = await startApp(config, silentLogger, { token: E2E_TOKEN, db: openDatabase(":memory:") });
  });

  afterAll(async () => {
    await app?.stop();
    await emulator?.stop();
  });

  const update = (id: number) => ({
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: 8801, type: "private", first_name: "Hook" },
      from: { id: 8801, is_bot: false, first_name: "Hook", language_code: "en" },
      text: "/help",
      entities: [{ type: "bot_command", offset: 0, length: 5 }],
    },
  });

  it("registers the webhook with its secret", () => {
    expect(emulator.state.webhook).toMatchObject({ url: "https://school.example/telegram/hook" });
  });

  it("answers GET /healthz", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
  });

  it("refuses an update without the right secret, and handles one with it", async () => {
    emulator.state.ensureUser({ id: 8801, first_name: "Hook", language_code: "en" });
    const post = (secret: string | undefined, body: unknown) =>
      fetch(`http://127.0.0.1:${port}/telegram/hook`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}),
        },
        body: JSON.stringify(body),
      });
    expect((await post(undefined, update(1))).status).toBe(401);
    expect((await post("wrong", update(2))).status).toBe(401);
    expect(emulator.state.messages(8801)).toHaveLength(0);
    expect((await post(SECRET, update(3))).status).toBe(200);
    // Answered 200 only once stored: a crash from here on cannot lose it.
    const stored = app.deps.db.prepare("SELECT update_id FROM inbox").pluck().all();
    expect(stored).toEqual([3]);
    // Telegram sending it again (it did not see the 200) changes nothing.
    expect((await post(SECRET, update(3))).status).toBe(200);
    const replies = () => emulator.state.messages(8801).filter((m) => m.text.includes("How it works"));
    for (let i = 0; i < 100 && replies().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    expect(replies()).toHaveLength(1);
  });

  it("answers 404 elsewhere", async () => {
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
  });
});
