import type { ClientRequest, IncomingMessage } from "node:http";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import type { Readable } from "node:stream";
import { cutText } from "../text.ts";

/**
 * How far a failed request got, which decides whether Telegram may have acted on it:
 * - `connect`: no connection was made (refused, DNS, unreachable): never reached Telegram.
 * - `reused`: a kept-alive connection failed before any answer. The peer (Telegram's front or
 *   a proxy) had closed it between two sends and the request landed on a dead connection;
 *   Node documents exactly this race for reused sockets. Taken as not delivered.
 * - `written`: a fresh connection carried the request and then broke before any answer: Telegram
 *   may have acted on it.
 * - `answered`: an answer came but was not Telegram's JSON (an HTML 502 from a proxy), or its
 *   body broke off. `status` says which answer.
 */
export type TransportStage = "connect" | "reused" | "written" | "answered";

/** A failed Bot API request, with where it failed. Its message never names the URL (nor the token in it). */
export class TransportError extends Error {
  constructor(
    readonly stage: TransportStage,
    readonly code: string | undefined,
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = "TransportError";
  }

  /** Whether Telegram cannot have delivered the message, so sending it again cannot duplicate it. */
  get notDelivered(): boolean {
    if (this.stage === "connect" || this.stage === "reused") return true;
    // An answer that is not a success (a 502 page, a broken 5xx) delivered nothing.
    if (this.stage === "answered")
      return this.status === undefined || this.status < 200 || this.status >= 300;
    return false;
  }
}

interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Readable;
  signal?: AbortSignal;
}

/** The part of a fetch Response grammY reads. */
interface TelegramResponse {
  status: number;
  ok: boolean;
  json(): Promise<unknown>;
}

const describe = (err: unknown): { code: string | undefined; message: string } => {
  const e = err as { code?: unknown; message?: unknown; name?: unknown };
  const code = typeof e?.code === "string" ? e.code : undefined;
  // Node's network errors name host and port at most, never the path; keep only the reason.
  const message = typeof e?.message === "string" ? e.message : String(err);
  return { code, message: code && !message.includes(code) ? `${message} (${code})` : message };
};

/**
 * A fetch for grammY's `client.fetch` over node:http(s) with kept-alive connections, which
 * reports how far a failed request got (TransportError) instead of one opaque network error, so
 * that the sender can tell "not delivered, send again" from "maybe delivered".
 */
export function createTelegramFetch(): (url: string | URL, init?: FetchInit) => Promise<TelegramResponse> {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  return (input, init = {}) =>
    new Promise<TelegramResponse>((resolve, reject) => {
      const url = new URL(String(input));
      const secure = url.protocol === "https:";
      let connected = false;
      let answered: number | undefined;
      const fail = (err: unknown, req: ClientRequest): void => {
        const { code, message } = describe(err);
        const stage: TransportStage =
          answered !== undefined
            ? "answered"
            : req.reusedSocket
              ? "reused"
              : connected
                ? "written"
                : "connect";
        reject(
          new TransportError(
            stage,
            code,
            answered,
            `${init.method ?? "POST"} ${url.pathname.split("/").pop() ?? ""}: ${message}`,
          ),
        );
      };
      const headers: Record<string, string> = { ...init.headers };
      if (typeof init.body === "string") headers["content-length"] = String(Buffer.byteLength(init.body));
      const options = {
        method: init.method ?? "POST",
        headers,
        agent: secure ? agents.https : agents.http,
        ...(init.signal ? { signal: init.signal } : {}),
      };
      const req = (secure ? httpsRequest : httpRequest)(url, options, (res: IncomingMessage) => {
        answered = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (err) => fail(err, req));
        res.on("close", () => {
          if (!res.complete) fail(new Error("the answer was cut off"), req);
        });
        res.on("end", () => {
          const status = answered ?? 0;
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status,
            ok: status >= 200 && status < 300,
            json: async () => {
              let body: unknown;
              try {
                body = JSON.parse(text);
              } catch {
                body = undefined;
              }
              if (typeof body !== "object" || body === null || !("ok" in body))
                throw new TransportError(
                  "answered",
                  undefined,
                  status,
                  `HTTP ${status}: the answer is not the Bot API's (${cutText(text.replace(/\s+/g, " "), 60)})`,
                );
              return body;
            },
          });
        });
      });
      req.on("socket", (socket: Socket) => {
        if (req.reusedSocket) return;
        const event = secure ? "secureConnect" : "connect";
        socket.once(event, () => {
          connected = true;
        });
      });
      req.on("error", (err) => fail(err, req));
      if (init.body === undefined || typeof init.body === "string") req.end(init.body);
      else init.body.pipe(req);
    });
}
