import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../../src/app.ts";
import type { App } from "../../src/app.ts";
import { importCatalogFile } from "../../src/catalog/import.ts";
import { parseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { silentLogger } from "../../src/logger.ts";
import { createDriver } from "../../src/sandbox/driver.ts";
import { createEmulator } from "../../src/sandbox/emulator/index.ts";
import type { Emulator } from "../../src/sandbox/emulator/index.ts";
import { E2E_TOKEN } from "../helpers/e2e.ts";

/** Prometheus text exposition: every sample line, keyed `name{labels}`; throws on a line that is not one. */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === "TYPE") {
        expect(["counter", "gauge", "histogram", "summary", "untyped"]).toContain(meta[3]);
        types.set(meta[2] as string, meta[3] as string);
      }
      continue;
    }
    const m =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(
        line,
      );
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const family = (m[1] as string).replace(/_(bucket|sum|count)$/, "");
    if (!types.has(m[1] as string) && !types.has(family)) throw new Error(`sample before its TYPE: ${line}`);
    samples.set(`${m[1]}${m[2] ?? ""}`, Number(m[3]));
  }
  return samples;
}

const waitUntil = async (ok: () => boolean | Promise<boolean>, limitMs: number, what: string) => {
  const deadline = Date.now() + limitMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe("/healthz and /metrics on HEALTH_PORT in polling mode", () => {
  let emulator: Emulator;
  let app: App;
  let port = 0;
  let base = "";

  beforeAll(async () => {
    emulator = createEmulator({ token: E2E_TOKEN, rateLimit: false });
    ({ port } = await emulator.start(0));
    const config = parseConfig({
      BOT_TOKEN: E2E_TOKEN,
      BOT_API_ROOT: emulator.apiRoot,
      HEALTH_PORT: "0",
      METRICS: "1",
    });
    const db = openDatabase(":memory:");
    migrate(db);
    importCatalogFile(db, "data/catalog.yaml", { timezone: config.timezone, now: new Date() });
    app = await startApp(config, silentLogger, { token: E2E_TOKEN, db, health: { telegramMs: 1500 } });
    base = app.ops.healthUrl ?? "";
  });

  afterAll(async () => {
    await app?.stop();
    await emulator?.stop();
  });

  const health = async () => {
    const res = await fetch(`${base}/healthz`);
    return { status: res.status, body: (await res.json()) as { ok: boolean; failing: string[] } };
  };

  it("listens on 127.0.0.1 by default and answers 200 with every check", async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await waitUntil(() => (emulator.state.stats.calls.getUpdates ?? 0) > 0, 10_000, "the first poll");
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ok: true,
      failing: [],
      checks: { database: { ok: true }, telegram: { ok: true }, outbox: { ok: true }, jobs: { ok: true } },
    });
  });

  it("turns 503 naming telegram while the Bot API is gone longer than the threshold, and 200 after", async () => {
    await emulator.stop();
    await waitUntil(async () => (await health()).status === 503, 8000, "503");
    const down = await health();
    expect(down.body.failing).toEqual(["telegram"]);
    expect(down.body.ok).toBe(false);
    await emulator.start(port);
    await waitUntil(async () => (await health()).status === 200, 15_000, "200 again");
  }, 30_000);

  it("serves /metrics as Prometheus text whose counters move after an enrolment and a send", async () => {
    const before = parsePrometheus(await (await fetch(`${base}/metrics`)).text());
    expect(before.get('lifelong_outbox_rows{state="pending"}')).toBe(0);
    expect(before.has("lifelong_active_conversations")).toBe(true);

    const driver = createDriver(emulator, { timeoutMs: 8000 });
    const wang = driver.user({ id: 7401, first_name: "王秀兰", language_code: "zh-hans" });
    await wang.send("/start");
    await wang.waitFor((m) => m.text.includes("王秀兰"));
    await wang.pressReply(/找课程/);
    await wang.press(/健身养生/);
    await wang.press(/^太极拳入门/);
    await wang.press("✍️ 报名");
    await wang.waitFor((m) => m.text.includes("请核对后确认"));
    await wang.press(/确认报名/);
    await wang.waitFor((m) => m.text.includes("报名成功"));
    // A proactive message through the outbox, as a job would queue it.
    app.deps.db
      .prepare(
        "INSERT INTO outbox (key, chat_id, template, params, due_at, created_at) VALUES ('ops-test', 7401, 'volunteers.decided', ?, ?, ?)",
      )
      .run(JSON.stringify({ approved: true }), new Date().toISOString(), new Date().toISOString());
    app.sender.wake();
    await waitUntil(
      () =>
        (app.deps.db.prepare("SELECT state FROM outbox WHERE key = 'ops-test'").pluck().get() as string) !==
        "pending",
      8000,
      "the send",
    );

    const after = parsePrometheus(await (await fetch(`${base}/metrics`)).text());
    const callbacks = 'lifelong_updates_total{type="callback_query"}';
    expect(after.get(callbacks) ?? 0).toBeGreaterThan(before.get(callbacks) ?? 0);
    expect(after.get('lifelong_updates_total{type="message"}') ?? 0).toBeGreaterThanOrEqual(2);
    expect(
      after.get('lifelong_update_duration_seconds_count{type="callback_query"}') ?? 0,
    ).toBeGreaterThanOrEqual(4);
    const sent = 'lifelong_sends_total{outcome="sent"}';
    expect(after.get(sent) ?? 0).toBe((before.get(sent) ?? 0) + 1);
    expect(after.get('lifelong_outbox_rows{state="sent"}')).toBe(
      (before.get('lifelong_outbox_rows{state="sent"}') ?? 0) + 1,
    );
    expect(after.get("lifelong_outbox_oldest_due_age_seconds")).toBe(0);
  }, 40_000);

  it("counts an update whose handling failed, by kind", async () => {
    const errors = 'lifelong_update_errors_total{kind="telegram"}';
    const before = parsePrometheus(await (await fetch(`${base}/metrics`)).text());
    const driver = createDriver(emulator, { timeoutMs: 8000 });
    const emma = driver.user({ id: 7402, first_name: "Emma", language_code: "en" });
    await emma.send("/start");
    await emma.nextMessage();
    // Telegram refuses the reply to /help: the handler fails, the person gets the apology.
    emulator.state.injectError("sendMessage", { error_code: 400, description: "Bad Request: test" });
    await emma.send("/help");
    await emma.waitFor((m) => m.text.includes("something went wrong"));
    const after = parsePrometheus(await (await fetch(`${base}/metrics`)).text());
    expect(after.get(errors) ?? 0).toBe((before.get(errors) ?? 0) + 1);
  });

  it("says 404 for other paths", async () => {
    expect((await fetch(`${base}/other`)).status).toBe(404);
  });
});
