import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PERSONAS } from "../../src/demo/demo.ts";
import { HOUR } from "../../src/clock.ts";
import type { Config } from "../../src/config.ts";
import { parseConfig } from "../../src/config.ts";
import type { Db } from "../../src/db/connection.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { JOBS } from "../../src/jobs/index.ts";
import { silentLogger } from "../../src/logger.ts";
import { ShiftableClock } from "../../src/sandbox/clock.ts";
import { EmulatorState } from "../../src/sandbox/emulator/index.ts";
import type { Sandbox } from "../../src/sandbox/start.ts";
import { prepareSandboxData, SANDBOX_CHANNEL, SANDBOX_TOKEN, startSandbox } from "../../src/sandbox/start.ts";
import type { WebChat } from "../../src/sandbox/web/server.ts";
import { startWebChat } from "../../src/sandbox/web/server.ts";

interface Answer<T = unknown> {
  status: number;
  ok: boolean;
  result: T;
  error?: string;
}

async function call<T = unknown>(base: string, path: string, body?: unknown): Promise<Answer<T>> {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? "GET" : "POST",
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  const data = (await res.json()) as { ok: boolean; result: T; error?: string };
  return { status: res.status, ...data };
}

/** Reads a page event stream until `done` says so (or the time runs out); returns what came. */
async function readStream(
  url: string,
  done: (events: Array<Record<string, unknown>>) => boolean,
  timeoutMs = 10_000,
): Promise<Array<Record<string, unknown>>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: Array<Record<string, unknown>> = [];
  try {
    const res = await fetch(url, { signal: controller.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      buffer += decoder.decode(value, { stream: true });
      let cut = buffer.indexOf("\n\n");
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = block.split("\n").find((l) => l.startsWith("data: "));
        if (data) events.push(JSON.parse(data.slice(6)) as Record<string, unknown>);
        cut = buffer.indexOf("\n\n");
      }
      if (done(events)) break;
    }
  } catch (err) {
    if (!(err instanceof Error && err.name === "AbortError")) throw err;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

describe("ShiftableClock", () => {
  it("runs with real time plus an offset that only grows", () => {
    let real = Date.parse("2026-11-28T00:00:00Z");
    const clock = new ShiftableClock(() => real);
    clock.advance(HOUR);
    real += 1000;
    expect(clock.now().toISOString()).toBe("2026-11-28T01:00:01.000Z");
    expect(() => clock.advance(-1)).toThrow(RangeError);
    clock.advanceTo(new Date("2026-11-27T00:00:00Z"));
    expect(clock.offsetMs).toBe(HOUR);
    clock.advanceTo(new Date("2026-11-29T01:00:01Z"));
    expect(clock.now().toISOString()).toBe("2026-11-29T01:00:01.000Z");
    clock.reset();
    expect(clock.offsetMs).toBe(0);
  });

  it("resumes no earlier than the latest job run a kept database recorded", () => {
    const db = openDatabase(":memory:");
    db.exec(
      "CREATE TABLE job_runs (name TEXT PRIMARY KEY, last_run_at TEXT NOT NULL, last_result TEXT NOT NULL DEFAULT '{}')",
    );
    const real = Date.parse("2026-11-28T00:00:00Z");
    db.prepare("INSERT INTO job_runs (name, last_run_at) VALUES ('a', ?), ('b', ?)").run(
      "2026-11-29T12:00:00.000Z",
      "2026-11-28T06:00:00.000Z",
    );
    const clock = new ShiftableClock(() => real);
    clock.resumeFrom(db);
    expect(clock.now().toISOString()).toBe("2026-11-29T12:00:00.000Z");
    db.close();
  });
});

describe("web chat server (emulator state and jobs, no bot)", () => {
  let db: Db;
  let config: Config;
  let clock: ShiftableClock;
  let state: EmulatorState;
  let web: WebChat;
  let base: string;
  let woken = 0;
  let afresh = 0;

  beforeAll(async () => {
    config = parseConfig({ DATABASE_PATH: ":memory:", LOG_LEVEL: "silent" });
    clock = new ShiftableClock();
    db = openDatabase(":memory:");
    prepareSandboxData(db, config, clock.now());
    state = new EmulatorState({ now: () => clock.now().getTime() });
    web = await startWebChat(
      {
        state,
        clock,
        jobs: JOBS,
        logger: silentLogger,
        current: () => ({
          deps: { db, config, logger: silentLogger, clock },
          wakeSender: () => {
            woken += 1;
          },
        }),
        startAfresh: async () => {
          afresh += 1;
        },
      },
      0,
    );
    base = web.url;
  });

  afterAll(async () => {
    await web.stop();
    db.close();
  });

  it("serves the page and its modules with a strict content policy, and nothing outside public/", async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    const html = await page.text();
    expect(html).toContain('src="app.js"');
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    for (const file of [
      "app.js",
      "chat.js",
      "message.js",
      "render.js",
      "time.js",
      "api.js",
      "style.css",
      "chat.css",
    ]) {
      const res = await fetch(`${base}/${file}`);
      expect(res.status, file).toBe(200);
      expect(await res.text(), file).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[a-z]/i);
    }
    expect((await fetch(`${base}/..%2Fserver.ts`)).status).toBe(404);
    expect((await fetch(`${base}/../../package.json`)).status).toBe(404);
    const font = await fetch(`${base}/fonts/cjk-regular.otf`);
    expect(font.status).toBe(200);
    expect(font.headers.get("content-type")).toBe("font/otf");
  });

  it("lists the demo personas and makes new ones with a name and a language", async () => {
    const list = await call<Array<{ id: number; first_name: string }>>(base, "/api/personas");
    expect(list.result.map((p) => p.id)).toEqual(DEMO_PERSONAS.map((p) => p.id));
    const made = await call<{ id: number; language_code: string; first_name: string }>(
      base,
      "/api/personas",
      {
        name: "  Tom   Lee ",
        language: "en",
      },
    );
    expect(made.result).toMatchObject({ first_name: "Tom", language_code: "en" });
    const again = await call<{ id: number }>(base, "/api/personas", { name: "小明", language: "zh" });
    expect(again.result.id).toBe(made.result.id + 1);
    const listed = await call<Array<{ id: number }>>(base, "/api/personas");
    expect(listed.result.map((p) => p.id)).toContain(again.result.id);
    expect((await call(base, "/api/personas", { name: "X", language: "fr" })).status).toBe(400);
    expect((await call(base, "/api/personas", { name: " ", language: "zh" })).status).toBe(400);
    expect((await call(base, "/api/chats/123/text", { text: "hi" })).status).toBe(404);
  });

  it("acts as the persona in the emulator and streams that chat's events only", async () => {
    const wang = DEMO_PERSONAS[0]!;
    const emma = DEMO_PERSONAS[1]!;
    const snap = await call<{ messages: unknown[]; last_seq: number }>(base, `/api/chats/${wang.id}`);
    expect(snap.result.messages).toEqual([]);
    await call(base, `/api/chats/${emma.id}`);
    const streamed = readStream(`${base}/api/chats/${wang.id}/events?after=${snap.result.last_seq}`, (ev) =>
      ev.some((e) => e.type === "edit"),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect((await call(base, `/api/chats/${emma.id}/text`, { text: "hello" })).ok).toBe(true);
    expect((await call(base, `/api/chats/${wang.id}/text`, { text: "你好" })).ok).toBe(true);
    // The bot's side, played by the emulator state directly: a formatted message, then an edit.
    const record = state.getChat(wang.id)!;
    const sent = state.addMessage(record, "bot", {
      text: "课程 书法",
      entities: [{ type: "bold", offset: 0, length: 2 }],
      reply_markup: { inline_keyboard: [[{ text: "报名", callback_data: "enr:1" }]] },
    });
    state.editMessage(record, sent, { text: "已报名" });
    const events = await streamed;
    const types = events.map((e) => e.type);
    expect(types).toEqual(["message", "message", "edit"]);
    const texts = events.map((e) => (e.message as { text: string }).text);
    expect(texts).toEqual(["你好", "课程 书法", "已报名"]);
    expect(events[1]!.message).not.toHaveProperty("raw");

    const press = await call<{ queryId: string }>(base, `/api/chats/${wang.id}/press`, {
      message_id: sent.message_id,
      callback_data: "enr:1",
    });
    expect(press.result.queryId).toMatch(/^\d+$/);
    const bad = await call(base, `/api/chats/${wang.id}/press`, {
      message_id: sent.message_id,
      callback_data: "x",
    });
    expect(bad.status).toBe(400);
    expect(state.updates.size).toBeGreaterThanOrEqual(3);
  });

  it("shares the persona's own phone from a request_contact button", async () => {
    const wang = DEMO_PERSONAS[0]!;
    const phone = db.prepare("SELECT phone FROM users WHERE id = ?").pluck().get(wang.id) as string;
    expect(phone).toBeTruthy();
    await call(base, `/api/chats/${wang.id}/contact`, {});
    const last = state.messages(wang.id).at(-1)!;
    expect(last.contact).toMatchObject({ phone_number: phone, user_id: wang.id });
  });

  it("serves files the bot sent: images inline, everything else as a sandboxed download", async () => {
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
      "base64",
    );
    const image = state.files.add(png, { kind: "photo" });
    const res = await fetch(`${base}/api/files/${image.file_id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.from(await res.arrayBuffer())).toEqual(png);
    const html = state.files.add(Buffer.from("<script>alert(1)</script>"), {
      kind: "document",
      file_name: "名单.html",
      mime_type: "text/html",
    });
    const doc = await fetch(`${base}/api/files/${html.file_id}`);
    expect(doc.headers.get("content-disposition")).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent("名单.html")}`,
    );
    expect(doc.headers.get("content-security-policy")).toMatch(/^sandbox/);
    expect((await fetch(`${base}/api/files/nope`)).status).toBe(404);
  });

  it("moves the clock forward only, runs jobs at the sandbox time and wakes the sender", async () => {
    const before = await call<{ offset_ms: number; jobs: Array<{ name: string }> }>(base, "/api/time");
    expect(before.result.jobs.map((j) => j.name)).toEqual(JOBS.map((j) => j.name));
    const moved = await call<{ offset_ms: number }>(base, "/api/time/advance", { minutes: 90 });
    expect(moved.result.offset_ms - before.result.offset_ms).toBe(90 * 60_000);
    expect((await call(base, "/api/time/advance", { minutes: -5 })).status).toBe(400);

    const ran = await call<{ result: Record<string, number> }>(base, "/api/jobs/reminders/run", {});
    expect(ran.result.result).toHaveProperty("queued");
    expect(woken).toBe(1);
    const lastRun = db
      .prepare("SELECT last_run_at FROM job_runs WHERE name = 'reminders'")
      .pluck()
      .get() as string;
    expect(Math.abs(Date.parse(lastRun) - clock.now().getTime())).toBeLessThan(5_000);
    expect((await call(base, "/api/jobs/nope/run", {})).status).toBe(404);
  });

  it("jumps to just after the next reminder of a persona's class, which the reminders job then queues", async () => {
    const wang = DEMO_PERSONAS[0]!;
    const jump = await call<{
      session_id: number;
      starts_at: string;
      lead_hours: number | null;
      now: string;
    }>(base, "/api/time/next-reminder", { persona_id: wang.id });
    expect(jump.status).toBe(200);
    const lead = jump.result.lead_hours!;
    expect(config.reminderLeadHours).toContain(lead);
    expect(Date.parse(jump.result.starts_at) - Date.parse(jump.result.now)).toBeLessThan(lead * HOUR);
    expect(Date.parse(jump.result.starts_at) - Date.parse(jump.result.now)).toBeGreaterThan(
      lead * HOUR - 2 * 60_000,
    );
    await call(base, "/api/jobs/reminders/run", {});
    const queued = db
      .prepare("SELECT COUNT(*) FROM outbox WHERE chat_id = ? AND key LIKE ?")
      .pluck()
      .get(wang.id, `reminder:${jump.result.session_id}:%`) as number;
    expect(queued).toBe(1);
    const lucy = DEMO_PERSONAS.find((p) => p.role === "staff")!;
    expect((await call(base, "/api/time/next-reminder", { persona_id: lucy.id })).status).toBe(404);
  });

  it("starts afresh on request and tells open chats to reload", async () => {
    const wang = DEMO_PERSONAS[0]!;
    const streamed = readStream(`${base}/api/chats/${wang.id}/events`, () => false, 1_500);
    await new Promise((r) => setTimeout(r, 100));
    expect((await call(base, "/api/reset", {})).result).toBe(true);
    expect(afresh).toBe(1);
    await streamed;
  });
});

describe("startSandbox with the web chat", () => {
  let dir: string;
  let sandbox: Sandbox;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "lifelong-web-"));
    const config = parseConfig({ DATABASE_PATH: join(dir, "sandbox.db"), LOG_LEVEL: "silent" });
    sandbox = await startSandbox(config, silentLogger, { fresh: true, port: 0 });
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers /start through the real bot, shows the command menu, and starts afresh", async () => {
    const base = sandbox.webUrl;
    const wang = DEMO_PERSONAS[0]!;
    const snap = await call<{ last_seq: number; commands: Array<{ command: string }> }>(
      base,
      `/api/chats/${wang.id}`,
    );
    expect(snap.result.commands.map((c) => c.command)).toContain("start");
    const streamed = readStream(`${base}/api/chats/${wang.id}/events?after=${snap.result.last_seq}`, (ev) =>
      ev.some((e) => e.type === "message" && (e.message as { side: string }).side === "bot"),
    );
    await call(base, `/api/chats/${wang.id}/text`, { text: "/start" });
    const events = await streamed;
    const reply = events.find((e) => (e.message as { side?: string } | undefined)?.side === "bot");
    expect(reply).toBeDefined();
    const message = reply!.message as { text: string; reply_markup?: { keyboard?: unknown } };
    expect(message.text).toContain(wang.first_name);
    expect(message.reply_markup?.keyboard).toBeDefined();

    await call(base, "/api/time/advance", { minutes: 60 });
    expect((await call(base, "/api/reset", {})).result).toBe(true);
    const after = await call<{ messages: unknown[] }>(base, `/api/chats/${wang.id}`);
    expect(after.result.messages).toEqual([]);
    const time = await call<{ offset_ms: number }>(base, "/api/time");
    expect(time.result.offset_ms).toBe(0);
    const personas = await call<unknown[]>(base, "/api/personas");
    expect(personas.result.length).toBe(DEMO_PERSONAS.length);
  }, 60_000);

  it("keeps a demo channel, also after starting afresh, and lists only the bot's posts there", async () => {
    const base = sandbox.webUrl;
    const empty = await call<{ channel: { id: number }; messages: unknown[] }>(base, "/api/channel");
    expect(empty.result.channel.id).toBe(SANDBOX_CHANNEL);
    const sent = await fetch(`${sandbox.apiRoot}/bot${SANDBOX_TOKEN}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: SANDBOX_CHANNEL, text: "本周课程 · This week" }),
    });
    expect(sent.status).toBe(200);
    const snap = await call<{ messages: Array<{ text: string; side: string }> }>(base, "/api/channel");
    expect(snap.result.messages.map((m) => [m.side, m.text])).toEqual([["bot", "本周课程 · This week"]]);
    // The channel is no persona: nobody writes in it from the page.
    const write = await call(base, `/api/chats/${SANDBOX_CHANNEL}/text`, { text: "hi" });
    expect(write.status).toBe(404);
  }, 30_000);

  it("asks the bot inline for a Share button and drops the chosen result into another persona's chat", async () => {
    const base = sandbox.webUrl;
    const [wang, other] = [DEMO_PERSONAS[0]!, DEMO_PERSONAS[1]!];
    await call(base, `/api/chats/${wang.id}/text`, { text: "/start" });
    const asked = await call<{ query_id: string; results: Array<{ id: string; title: string }> }>(
      base,
      `/api/chats/${wang.id}/inline`,
      { query: "书法" },
    );
    expect(asked.ok).toBe(true);
    expect(asked.result.results.length).toBeGreaterThan(0);
    const first = asked.result.results[0]!;
    const before = await call<{ messages: unknown[] }>(base, `/api/chats/${other.id}`);
    const shared = await call<number>(base, `/api/chats/${wang.id}/share`, {
      query_id: asked.result.query_id,
      result_id: first.id,
      chat_id: other.id,
    });
    expect(shared.ok).toBe(true);
    const after = await call<{
      messages: Array<{
        message_id: number;
        reply_markup?: { inline_keyboard: Array<Array<{ url?: string }>> };
      }>;
    }>(base, `/api/chats/${other.id}`);
    expect(after.result.messages.length).toBe(before.result.messages.length + 1);
    const card = after.result.messages.at(-1)!;
    expect(card.message_id).toBe(shared.result);
    expect(card.reply_markup?.inline_keyboard[0]?.[0]?.url).toMatch(/start=c_.+_s$/);

    // Markup, emoji and a long query are answered, never an error; a wrong pick is refused in words.
    const odd = await call<{ results: unknown[] }>(base, `/api/chats/${wang.id}/inline`, {
      query: `<b>&${"😀".repeat(300)}`,
    });
    expect(odd.ok).toBe(true);
    expect(odd.result.results.length).toBeLessThanOrEqual(20);
    const wrong = await call(base, `/api/chats/${wang.id}/share`, {
      query_id: asked.result.query_id,
      result_id: "no-such-result",
      chat_id: other.id,
    });
    expect(wrong.status).toBe(400);
    const nobody = await call(base, `/api/chats/${wang.id}/share`, {
      query_id: asked.result.query_id,
      result_id: first.id,
      chat_id: 199_999,
    });
    expect(nobody.status).toBe(404);
  }, 30_000);
});
