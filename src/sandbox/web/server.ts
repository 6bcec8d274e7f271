import { readFile } from "node:fs/promises";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { fromRoot } from "../../paths.ts";
import type { JobDeps, JobSpec } from "../../jobs/types.ts";
import type { Logger } from "../../logger.ts";
import type { ShiftableClock } from "../clock.ts";
import type { EmulatorEvent } from "../emulator/events.ts";
import type { EmulatorState } from "../emulator/state.ts";
import { openChat, pageEvent, pageEventAll, snapshot } from "./chats.ts";
import { int, readBody, SECURITY_HEADERS, sendJson, str, WebError } from "./http.ts";
import { PersonaBook } from "./personas.ts";
import type { PageChannel } from "./share.ts";
import { askInline, channelSnapshot } from "./share.ts";
import { jumpToNextReminder, runJobNow, timeState } from "./time-panel.ts";
import { createCatalogPageHandler } from "../../publicity/catalog-page.ts";

/** What the web chat needs from the sandbox around it. */
export interface WebChatHost {
  state: EmulatorState;
  clock: ShiftableClock;
  jobs: JobSpec[];
  logger: Logger;
  /** The school's channel, shown as a read-only chat. */
  channel?: PageChannel;
  /** The running app's job deps and a nudge for its outbox sender; a fresh start replaces them. */
  current(): { deps: JobDeps; wakeSender(): void };
  /** Stops the app, deletes the database, seeds it again and starts the app on it. */
  startAfresh(): Promise<void>;
}

export interface WebChat {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const PUBLIC_DIR = pathToFileURL(`${fromRoot("src", "sandbox", "web", "public")}/`);
const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
};
const PAGE_CSP =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
  "frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Noto Sans SC from the @embedpdf/fonts-sc package, so that Chinese reads well on a machine
 * without CJK fonts, with no font service on the network. The page asks for it only when a
 * local CJK font is missing and Chinese text is on screen (unicode-range).
 */
function fontFile(): string {
  const main = createRequire(import.meta.url).resolve("@embedpdf/fonts-sc");
  return join(dirname(main), "..", "fonts", "NotoSansHans-Regular.otf");
}

async function serveFont(res: ServerResponse): Promise<boolean> {
  const path = fontFile();
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch {
    return false;
  }
  res.writeHead(200, { ...SECURITY_HEADERS, "content-type": "font/otf", "cache-control": "max-age=86400" });
  res.end(data);
  return true;
}

async function serveStatic(res: ServerResponse, path: string): Promise<boolean> {
  if (path === "/fonts/cjk-regular.otf") return serveFont(res);
  const name = path === "/" ? "index.html" : path.slice(1);
  // Flat names only: nothing outside public/ can be asked for.
  const m = /^([a-z0-9-]+)\.(html|css|js|svg|png)$/.exec(name);
  if (!m) return false;
  let data: Buffer;
  try {
    data = await readFile(new URL(name, PUBLIC_DIR));
  } catch {
    return false;
  }
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "content-type": TYPES[m[2] ?? ""] ?? "application/octet-stream",
    "content-security-policy": PAGE_CSP,
    "cache-control": "no-cache",
  });
  res.end(data);
  return true;
}

/** A file the bot sent, with headers that keep it from running as part of the page. */
function serveFile(state: EmulatorState, res: ServerResponse, fileId: string, download: boolean): void {
  const file = state.files.get(fileId);
  if (!file) throw new WebError(404, "没有这个文件 · No such file");
  const type = file.mime_type ?? (file.kind === "photo" ? "image/jpeg" : "application/octet-stream");
  const inline = !download && (/^image\/(png|jpeg|gif|webp)$/.test(type) || type === "application/pdf");
  const name = file.file_name ?? `${file.kind}-${file.file_unique_id}`;
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "content-type": type,
    "content-length": String(file.data.length),
    "content-security-policy": "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
    "content-disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(name)}`,
  });
  res.end(file.data);
}

/**
 * The sandbox's web chat: a small node:http server for the page in public/ and a JSON API over
 * the in-process emulator (act as a persona, watch the chat as Server-Sent Events) and the
 * app (the clock, running jobs, starting afresh). Listens on 127.0.0.1 only.
 */
export async function startWebChat(host: WebChatHost, port: number): Promise<WebChat> {
  const { state, clock, jobs, logger } = host;
  const personas = new PersonaBook(() => host.current().deps.db);
  const streams = new Set<ServerResponse>();
  let restarting = false;

  const chatOf = (raw: string | undefined) => {
    const persona = personas.get(int(raw, "persona id"));
    openChat(state, persona);
    return persona;
  };

  function stream(req: IncomingMessage, res: ServerResponse, url: URL, chatId: number | "all"): void {
    const after = Number(req.headers["last-event-id"] ?? url.searchParams.get("after") ?? state.log.lastSeq);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    res.write(": connected\n\n");
    const write = (e: EmulatorEvent): void => {
      const out = chatId === "all" ? pageEventAll(e) : pageEvent(e, chatId);
      if (out) res.write(`id: ${e.seq}\ndata: ${JSON.stringify(out)}\n\n`);
    };
    for (const e of state.log.since(Number.isFinite(after) ? after : state.log.lastSeq)) write(e);
    const heartbeat = setInterval(() => res.write(": ping\n\n"), 15_000);
    state.events.on("event", write);
    streams.add(res);
    res.on("close", () => {
      clearInterval(heartbeat);
      state.events.off("event", write);
      streams.delete(res);
    });
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<unknown> {
    const path = url.pathname;
    const method = req.method ?? "GET";
    if (restarting)
      throw new WebError(503, "正在重新开始，请稍等。· Starting afresh, try again in a moment.");
    if (method === "GET" && path === "/api/events") return stream(req, res, url, "all");
    if (method === "GET" && path === "/api/personas") return personas.list();
    if (method === "GET" && path === "/api/channel")
      return host.channel ? channelSnapshot(state, host.channel) : null;
    if (method === "POST" && path === "/api/personas") {
      const body = await readBody(req);
      return personas.create(str(body.name, "name", 64), str(body.language, "language", 8));
    }
    const chat = /^\/api\/chats\/(\d+)(\/[a-z]+)?$/.exec(path);
    if (chat) {
      const persona = chatOf(chat[1]);
      const action = chat[2] ?? "";
      if (method === "GET" && action === "") return snapshot(state, persona);
      if (method === "GET" && action === "/events") return stream(req, res, url, persona.id);
      if (method === "POST") {
        const body = await readBody(req);
        const fail = (fn: () => unknown) => {
          try {
            return fn();
          } catch (err) {
            const detail = err instanceof Error ? err.message : String(err);
            throw new WebError(400, `没能完成 · That did not work (${detail})`);
          }
        };
        if (action === "/text")
          return fail(() => state.sendText(persona.id, str(body.text, "text")).message_id);
        if (action === "/press")
          return fail(() =>
            state.pressButton(
              persona.id,
              int(body.message_id, "message_id"),
              str(body.callback_data, "callback_data", 64),
            ),
          );
        if (action === "/inline")
          return askInline(state, persona.id, typeof body.query === "string" ? body.query : "");
        if (action === "/share") {
          // The chosen chat is another persona's: it gets the card as its own chat would.
          const target = chatOf(String(int(body.chat_id, "chat_id")));
          return fail(
            () =>
              state.sendInlineResult(
                persona.id,
                str(body.query_id, "query_id", 64),
                str(body.result_id, "result_id", 64),
                target.id,
              ).message_id,
          );
        }
        if (action === "/contact")
          return fail(
            () =>
              state.shareContact(persona.id, {
                phone_number: personas.phoneOf(persona.id),
                user_id: persona.id,
              }).message_id,
          );
      }
    }
    const file = /^\/api\/files\/([A-Za-z0-9_-]+)$/.exec(path);
    if (method === "GET" && file)
      return serveFile(state, res, file[1] ?? "", url.searchParams.has("download"));
    const { deps, wakeSender } = host.current();
    if (method === "GET" && path === "/api/time") return timeState(deps, clock, jobs);
    if (method === "POST" && path === "/api/time/advance") {
      const body = await readBody(req);
      const minutes = int(body.minutes, "minutes");
      if (minutes <= 0 || minutes > 60 * 24 * 60)
        throw new WebError(400, "分钟数要在 1 到 86400 之间。· Minutes must be between 1 and 86400.");
      clock.advance(minutes * 60_000);
      return timeState(deps, clock, jobs);
    }
    if (method === "POST" && path === "/api/time/next-reminder") {
      const body = await readBody(req);
      return jumpToNextReminder(deps, clock, int(body.persona_id, "persona_id"));
    }
    const job = /^\/api\/jobs\/([a-zA-Z0-9_-]+)\/run$/.exec(path);
    if (method === "POST" && job) {
      const result = await runJobNow(deps, jobs, job[1] ?? "");
      wakeSender();
      return { name: job[1], result, now: clock.now().toISOString() };
    }
    if (method === "POST" && path === "/api/reset") {
      restarting = true;
      try {
        await host.startAfresh();
        personas.clear();
      } finally {
        restarting = false;
      }
      for (const s of streams) s.write("event: reset\ndata: {}\n\n");
      return true;
    }
    throw new WebError(404, `没有这个地址 · No such address: ${method} ${path}`);
  }

  const catalog = createCatalogPageHandler({
    deps: () => host.current().deps,
    botUsername: () => state.bot.username ?? "",
  });
  const server: Server = createServer((req, res) => {
    if (catalog(req, res)) return;
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    void (async () => {
      try {
        if (url.pathname.startsWith("/api/")) {
          const result = await api(req, res, url);
          if (!res.headersSent) sendJson(res, 200, { ok: true, result: result ?? null });
          return;
        }
        if (req.method === "GET" && (await serveStatic(res, url.pathname))) return;
        throw new WebError(404, "没有这个页面 · Not found");
      } catch (err) {
        const status = err instanceof WebError ? err.status : 500;
        if (status === 500) logger.error({ err, path: url.pathname }, "web chat request failed");
        // Errors the page shows are bilingual; an unexpected one is logged and described in both.
        const message =
          err instanceof WebError
            ? err.message
            : "沙盒出错了，详情见终端日志。· Something went wrong in the sandbox; see the terminal log.";
        sendJson(res, status, { ok: false, error: message });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    stop() {
      for (const s of streams) s.end();
      streams.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
