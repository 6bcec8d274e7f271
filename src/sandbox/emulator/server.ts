import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createControlApi } from "./control-api.ts";
import type { EmulatorFaults } from "./faults.ts";
import { ApiError, notFound, unauthorized } from "./errors.ts";
import { findMethod } from "./methods/index.ts";
import { Params, readParams } from "./params.ts";
import { assertWellFormed } from "./validation.ts";
import type { EmulatorOptions } from "./state.ts";

export type { EmulatorFaults } from "./faults.ts";
import { EmulatorState } from "./state.ts";

const BAD_GATEWAY_PAGE =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/**
 * Network faults, as Telegram's front and the proxies before it produce them (Bot API calls
 * only; the control API keeps answering, except while down).
 */

/** A running (or startable) emulator. */
export interface Emulator {
  /** Users, chats, messages, events, fault injection: see EmulatorState. */
  readonly state: EmulatorState;
  /** Network faults: 502 pages, dead kept-alive connections, refused connections. */
  readonly faults: EmulatorFaults;
  /** Listens on 127.0.0.1 (port 0 = a free one). `apiRoot` goes into grammY's `client.apiRoot`. */
  start(port?: number): Promise<{ port: number; apiRoot: string }>;
  /** Ends long polls and event streams, closes every connection and the server. */
  stop(): Promise<void>;
  /** `http://127.0.0.1:PORT` once started. */
  readonly apiRoot: string | undefined;
  /** The control API's base, `${apiRoot}/_emulator`, once started. */
  readonly controlUrl: string | undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  // A long poll whose client went away has nobody to answer.
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function handleMethod(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  token: string,
  name: string,
): Promise<void> {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const { status, body } = await callMethod(
    state,
    token,
    name,
    () => readParams(req, url),
    controller.signal,
  );
  sendJson(res, status, body);
}

/**
 * One Bot API call, answered as Telegram would: the HTTP server and the in-process double
 * (src/sandbox/in-memory-telegram.ts) both go through here, so they validate alike.
 */
export async function callMethod(
  state: EmulatorState,
  token: string,
  name: string,
  readBody: () => Promise<Params>,
  signal: AbortSignal,
): Promise<{ status: number; body: unknown }> {
  let method = name;
  let params = new Params();
  try {
    if (token !== state.token) throw unauthorized();
    const found = findMethod(name);
    if (found) method = found.name;
    state.countCall(method);
    params = await readBody();
    const injected = state.takeInjectedError(method);
    if (injected) throw injected;
    if (!found) throw notFound();
    assertWellFormed(params);
    const result = await found.handler({ state, params, method, signal });
    return { status: 200, body: { ok: true, result } };
  } catch (err) {
    if (err instanceof ApiError) {
      state.countError(method, err, params.int("chat_id"));
      state.logger?.debug(
        { method, error_code: err.errorCode, description: err.description },
        "emulator answered an error",
      );
      return { status: err.errorCode, body: err.toBody() };
    }
    state.logger?.error({ err, method }, "emulator method failed");
    return { status: 500, body: { ok: false, error_code: 500, description: "Internal Server Error" } };
  }
}

function handleDownload(state: EmulatorState, res: ServerResponse, token: string, path: string): void {
  const file = token === state.token ? state.files.getByPath(decodeURIComponent(path)) : undefined;
  if (!file) {
    sendJson(res, 404, notFound().toBody());
    return;
  }
  res.writeHead(200, {
    "content-type": file.mime_type ?? "application/octet-stream",
    "content-length": String(file.data.length),
  });
  res.end(file.data);
}

/**
 * Creates a Telegram Bot API emulator: a real HTTP server answering the
 * methods a grammY bot uses in Telegram's exact shapes and error texts, plus
 * a JSON control API under /_emulator for tests and UIs in other processes.
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const state = new EmulatorState(options);
  let server: Server | undefined;
  let apiRoot: string | undefined;
  let port = 0;
  let isDown = false;
  /** Requests seen per connection: more than one means the connection was kept alive and reused. */
  const requestsOn = new WeakMap<Socket, number>();
  const faults: EmulatorFaults = {
    badGateway: 0,
    resetReused: 0,
    served: { badGateway: 0, resetReused: 0 },
    get isDown() {
      return isDown;
    },
    down() {
      const s = server;
      if (!s || isDown) return Promise.resolve();
      isDown = true;
      return new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
    up() {
      const s = server;
      if (!s || !isDown) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        s.once("error", reject);
        s.listen(port, "127.0.0.1", () => {
          s.off("error", reject);
          isDown = false;
          resolve();
        });
      });
    },
  };
  const control = createControlApi(state, faults);

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    const seen = (requestsOn.get(req.socket) ?? 0) + 1;
    requestsOn.set(req.socket, seen);
    if (path.startsWith("/bot")) {
      if (faults.resetReused > 0 && seen > 1) {
        faults.resetReused -= 1;
        faults.served.resetReused += 1;
        req.socket.resetAndDestroy();
        return;
      }
      if (faults.badGateway > 0) {
        faults.badGateway -= 1;
        faults.served.badGateway += 1;
        req.resume();
        res.writeHead(502, { "content-type": "text/html", server: "nginx" });
        res.end(BAD_GATEWAY_PAGE);
        return;
      }
    }
    if (path === "/_emulator" || path.startsWith("/_emulator/")) {
      void control.handle(req, res, url);
      return;
    }
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(path);
    if (download && req.method === "GET") {
      handleDownload(state, res, decodeURIComponent(download[1] ?? ""), download[2] ?? "");
      return;
    }
    const call = /^\/bot([^/]+)\/([A-Za-z0-9_]+)\/?$/.exec(path);
    if (!call) {
      req.resume();
      sendJson(res, 404, notFound().toBody());
      return;
    }
    void handleMethod(state, req, res, url, decodeURIComponent(call[1] ?? ""), call[2] ?? "");
  };

  return {
    state,
    faults,
    get apiRoot() {
      return apiRoot;
    },
    get controlUrl() {
      return apiRoot === undefined ? undefined : `${apiRoot}/_emulator`;
    },
    start(listenPort = 0) {
      if (server) return Promise.reject(new Error("emulator already started"));
      const s = createServer(onRequest);
      // grammY keeps sockets alive between calls; closing idle ones after Node's default 5 s
      // races with a client reusing one ("socket hang up"), so keep them much longer.
      s.keepAliveTimeout = 120_000;
      server = s;
      return new Promise((resolve, reject) => {
        s.once("error", reject);
        s.listen(listenPort, "127.0.0.1", () => {
          const actual = (s.address() as AddressInfo).port;
          port = actual;
          apiRoot = `http://127.0.0.1:${actual}`;
          state.logger?.info({ apiRoot }, "telegram emulator listening");
          resolve({ port: actual, apiRoot });
        });
      });
    },
    stop() {
      const s = server;
      server = undefined;
      apiRoot = undefined;
      if (!s) return Promise.resolve();
      state.updates.release();
      if (isDown) {
        control.closeStreams();
        return Promise.resolve();
      }
      control.closeStreams();
      return new Promise<void>((resolve) => {
        s.close(() => resolve());
        // Keep-alive sockets (grammY uses an agent with keepAlive) would hold close() open.
        s.closeAllConnections();
      });
    },
  };
}
