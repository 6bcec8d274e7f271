import type { IncomingMessage, ServerResponse } from "node:http";
import type { Body, RouteContext } from "./control-routes.ts";
import { ControlError, num, routes } from "./control-routes.ts";
import type { EmulatorEvent } from "./events.ts";
import { readJson } from "./params.ts";
import type { EmulatorFaults } from "./faults.ts";
import type { EmulatorState } from "./state.ts";

function streamEvents(ctx: RouteContext, sseClients: Set<ServerResponse>): void {
  const { res, url, state } = ctx;
  const chatParam = url.searchParams.get("chat_id");
  const chatId = chatParam === null ? undefined : num(chatParam, "chat_id");
  const lastId = ctx.req.headers["last-event-id"];
  const after = Number(
    typeof lastId === "string" ? lastId : (url.searchParams.get("after") ?? state.log.lastSeq),
  );
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  // Sends the headers now, so the client's fetch/EventSource opens before the first event.
  res.write(": connected\n\n");
  const write = (e: EmulatorEvent): void => {
    if (chatId === undefined || e.chatId === chatId)
      res.write(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
  };
  for (const e of state.log.since(Number.isFinite(after) ? after : state.log.lastSeq)) write(e);
  // A comment line every 15 s keeps proxies and EventSource from timing out.
  const heartbeat = setInterval(() => res.write(": ping\n\n"), 15_000);
  state.events.on("event", write);
  sseClients.add(res);
  res.on("close", () => {
    clearInterval(heartbeat);
    state.events.off("event", write);
    sseClients.delete(res);
  });
}

/**
 * The JSON control API under /_emulator: lets another process (an e2e test
 * running the real bot, a web page) act as users and watch what the bot does.
 * Answers `{ ok: true, result }` or `{ ok: false, error_code, description }`.
 *
 *   GET  /health                      { bot, last_seq }
 *   GET  /stats                       counters (calls per method, errors per code, 429s)
 *   POST /reset                       forget users, chats, updates, injections, counters
 *   POST /config                      { rate_limit: boolean }
 *   POST /users                       { id, first_name, last_name?, username?, language_code? }
 *   POST /users/:id/text              { text, reply_to_message_id? } → stored message
 *   POST /users/:id/press             { message_id, callback_data, wait_ms? } → { query_id, update_id, answer }
 *   POST /users/:id/contact           { phone_number, first_name?, last_name?, user_id? }
 *   POST /users/:id/document|photo    { data_base64, file_name?, mime_type?, caption? }
 *   POST /users/:id/block|unblock
 *   GET  /chats, /chats/:id           chat, user, blocked, reply_keyboard, menu_button
 *   GET  /chats/:id/messages          ?include_deleted=1
 *   GET  /commands                    stored command sets
 *   POST /inject                      { method, error_code, description, retry_after?, times? }
 *   GET  /faults                      network faults pending and served
 *   POST /faults                      { bad_gateway?: n, reset_reused?: n, down_ms?: ms }: the next n calls
 *                                     get an HTML 502 / find their kept-alive connection reset; down_ms
 *                                     refuses every connection for that long
 *   GET  /files/:file_id              raw bytes
 *   GET  /events                      Server-Sent Events (?chat_id, ?after or Last-Event-ID)
 *   GET  /events/poll                 ?after&chat_id&timeout_ms → { events, last_seq } (long poll)
 */
export function createControlApi(
  state: EmulatorState,
  faults: EmulatorFaults,
): {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  closeStreams(): void;
} {
  const sseClients = new Set<ServerResponse>();
  const send = (res: ServerResponse, status: number, body: unknown): void => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };
  return {
    async handle(req, res, url) {
      const path = url.pathname.replace(/^\/_emulator/, "").replace(/\/$/, "") || "/";
      try {
        if (req.method === "GET" && path === "/events")
          return streamEvents(
            { state, faults, req, res, url, params: [], body: async () => ({}) },
            sseClients,
          );
        if (req.method === "GET" && path.startsWith("/files/")) {
          const file = state.files.get(decodeURIComponent(path.slice("/files/".length)));
          if (!file) throw new ControlError(404, "no such file");
          res.writeHead(200, {
            "content-type":
              file.mime_type ?? (file.kind === "photo" ? "image/jpeg" : "application/octet-stream"),
          });
          res.end(file.data);
          return;
        }
        for (const [method, pattern, handler] of routes) {
          const m = pattern.exec(path);
          if (!m || req.method !== method) continue;
          const body = async (): Promise<Body> => {
            try {
              return await readJson(req);
            } catch (err) {
              throw new ControlError(
                400,
                `bad JSON body: ${err instanceof Error ? err.message : String(err)}`,
              );
            }
          };
          const result = await handler({ state, faults, req, res, url, params: m.slice(1), body });
          send(res, 200, { ok: true, result });
          return;
        }
        throw new ControlError(404, `no control route ${req.method ?? "?"} ${path}`);
      } catch (err) {
        const status = err instanceof ControlError ? err.status : 500;
        if (status === 500) state.logger?.error({ err, path }, "emulator control route failed");
        send(res, status, {
          ok: false,
          error_code: status,
          description: err instanceof Error ? err.message : String(err),
        });
      }
    },
    closeStreams() {
      for (const res of sseClients) res.end();
      sseClients.clear();
    },
  };
}
