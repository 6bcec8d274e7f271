import type { UserFromGetMe } from "grammy/types";
import { multipartBoundary, parseMultipart } from "./emulator/multipart.ts";
import { Params } from "./emulator/params.ts";
import { callMethod } from "./emulator/server.ts";
import type { EmulatorOptions } from "./emulator/state.ts";
import { EmulatorState } from "./emulator/state.ts";

/**
 * The Bot API emulator without its HTTP server: a `fetch` for grammY's client that hands each
 * call to the emulator's own method handlers and state, in process. Bot tests and the benchmark
 * get the same answers and refusals as end-to-end tests (invalid HTML, limits, "message is not
 * modified", "chat not found", ...): one Telegram double, not two.
 */

/** A bot identity matching the state's token, so that `bot.init()` needs no getMe. */
export function testBotInfo(username: string, id = 42): UserFromGetMe {
  return {
    id,
    is_bot: true,
    first_name: "Lifelong",
    username,
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
  } as UserFromGetMe;
}

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
}

/** A call Telegram refused, with its description. */
export interface RefusedCall extends ApiCall {
  error_code: number;
  description: string;
}

export interface InMemoryTelegramOptions {
  /** The emulator state to act on; a new one (with `stateOptions`) when absent. */
  state?: EmulatorState;
  stateOptions?: EmulatorOptions;
  /** Successful calls are appended here. */
  record?: ApiCall[];
  /** Refused calls are appended here. */
  refused?: RefusedCall[];
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }
  return Buffer.from(await new Response(body as ConstructorParameters<typeof Response>[0]).arrayBuffer());
}

function headerOf(headers: unknown, name: string): string {
  if (!headers) return "";
  if (headers instanceof Headers) return headers.get(name) ?? "";
  const entries = Object.entries(headers as Record<string, string>);
  return entries.find(([k]) => k.toLowerCase() === name)?.[1] ?? "";
}

/**
 * The answer as grammY's client reads it: status and JSON body. A full `Response` (a body stream,
 * read back through it) cost more than the emulator's whole handling of the call; this one keeps
 * the JSON text and parses it afresh on each read, as a Response would.
 */
export function jsonResponse(text: string, status: number): Response {
  const answer = {
    ok: status >= 200 && status < 300,
    status,
    statusText: "",
    headers: new Headers({ "content-type": "application/json" }),
    json: async (): Promise<unknown> => JSON.parse(text),
    text: async (): Promise<string> => text,
  };
  return answer as unknown as Response;
}

/**
 * A `fetch` answering every Bot API call from the emulator state. The state is returned too,
 * so that a test can make users (who must start the bot before it can write to them) and read
 * what each chat shows.
 */
export function inMemoryTelegram(options: InMemoryTelegramOptions = {}) {
  const state = options.state ?? new EmulatorState(options.stateOptions);
  const fetch = async (
    url: string | URL,
    init?: { body?: unknown; headers?: unknown; signal?: AbortSignal },
  ): Promise<Response> => {
    const path = new URL(String(url)).pathname;
    const m = /^\/bot([^/]+)\/([A-Za-z0-9_]+)\/?$/.exec(path);
    const token = decodeURIComponent(m?.[1] ?? "");
    const method = m?.[2] ?? "";
    const raw = await bodyBytes(init?.body);
    let payload: Record<string, unknown> = {};
    const readBody = async (): Promise<Params> => {
      const boundary = multipartBoundary(headerOf(init?.headers, "content-type"));
      if (boundary !== undefined) {
        const parsed = parseMultipart(raw, boundary);
        payload = { ...parsed.fields, multipart: true };
        return new Params(parsed.fields, parsed.files);
      }
      payload = raw.length === 0 ? {} : (JSON.parse(raw.toString("utf8")) as Record<string, unknown>);
      return new Params({ ...payload });
    };
    const { status, body } = await callMethod(
      state,
      token,
      method,
      readBody,
      init?.signal ?? new AbortController().signal,
    );
    const answer = body as { ok: boolean; error_code?: number; description?: string };
    if (answer.ok) options.record?.push({ method, payload });
    else
      options.refused?.push({
        method,
        payload,
        error_code: answer.error_code ?? status,
        description: answer.description ?? "",
      });
    return jsonResponse(JSON.stringify(body), status);
  };
  return Object.assign(fetch, { state });
}
