import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorFaults } from "./faults.ts";
import type { EmulatorState } from "./state.ts";
import type { UserProfile } from "./types.ts";

/** Thrown by control routes for a 4xx answer. */
export class ControlError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export type Body = Record<string, unknown>;

export interface RouteContext {
  state: EmulatorState;
  faults: EmulatorFaults;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: string[];
  body: () => Promise<Body>;
}

export type Route = [method: string, pattern: RegExp, handler: (ctx: RouteContext) => unknown];

export const num = (value: unknown, name: string): number => {
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && value.trim() !== ""
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(n)) throw new ControlError(400, `${name} must be a number`);
  return n;
};

const str = (value: unknown, name: string): string => {
  if (typeof value !== "string") throw new ControlError(400, `${name} must be a string`);
  return value;
};

const optStr = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

function userId(ctx: RouteContext): number {
  const id = num(ctx.params[0], "user id");
  if (!ctx.state.getChat(id)) throw new ControlError(404, `no user ${id}: POST /_emulator/users first`);
  return id;
}

// User actions throw plain Errors for things a real client could not do; those are the caller's 400s.
function asClientError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new ControlError(400, err instanceof Error ? err.message : String(err));
  }
}

function upload(body: Body): { data: Uint8Array; file_name?: string; mime_type?: string; caption?: string } {
  const out: { data: Uint8Array; file_name?: string; mime_type?: string; caption?: string } = {
    data: Buffer.from(str(body.data_base64, "data_base64"), "base64"),
  };
  for (const key of ["file_name", "mime_type", "caption"] as const) {
    const v = optStr(body[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function chatSummary(state: EmulatorState, id: number): Body {
  const record = state.getChat(id);
  if (!record) throw new ControlError(404, `no chat ${id}`);
  return {
    chat: record.chat,
    user: record.user,
    blocked: record.blocked,
    reply_keyboard: record.replyKeyboard ?? null,
    menu_button: record.menuButton ?? state.defaultMenuButton,
    message_count: record.messages.size,
  };
}

function faultSummary(faults: EmulatorFaults): Body {
  return {
    bad_gateway: faults.badGateway,
    reset_reused: faults.resetReused,
    down: faults.isDown,
    served: { ...faults.served },
  };
}

/** The JSON routes of the control API, matched against the path after /_emulator. */
export const routes: Route[] = [
  ["GET", /^\/health$/, ({ state }) => ({ bot: state.bot, last_seq: state.log.lastSeq })],
  ["GET", /^\/stats$/, ({ state }) => ({ ...state.stats, pending_updates: state.updates.size })],
  [
    "POST",
    /^\/reset$/,
    ({ state }) => {
      state.reset();
      return true;
    },
  ],
  [
    "POST",
    /^\/config$/,
    async (ctx) => {
      const body = await ctx.body();
      if (typeof body.rate_limit === "boolean") ctx.state.rateLimiter.enabled = body.rate_limit;
      return { rate_limit: ctx.state.rateLimiter.enabled };
    },
  ],
  [
    "POST",
    /^\/users$/,
    async (ctx) => {
      const body = await ctx.body();
      const profile: UserProfile = { id: num(body.id, "id"), first_name: str(body.first_name, "first_name") };
      for (const key of ["last_name", "username", "language_code"] as const) {
        const v = optStr(body[key]);
        if (v !== undefined) profile[key] = v;
      }
      return ctx.state.ensureUser(profile);
    },
  ],
  [
    "POST",
    /^\/users\/(-?\d+)\/text$/,
    async (ctx) => {
      const body = await ctx.body();
      const text = str(body.text, "text");
      const reply =
        body.reply_to_message_id === undefined
          ? {}
          : { reply_to_message_id: num(body.reply_to_message_id, "reply_to_message_id") };
      const id = userId(ctx);
      return asClientError(() => ctx.state.sendText(id, text, reply));
    },
  ],
  [
    "POST",
    /^\/users\/(-?\d+)\/press$/,
    async (ctx) => {
      const body = await ctx.body();
      const id = userId(ctx);
      const after = ctx.state.log.lastSeq;
      const pressed = asClientError(() =>
        ctx.state.pressButton(
          id,
          num(body.message_id, "message_id"),
          str(body.callback_data, "callback_data"),
        ),
      );
      const waitMs = body.wait_ms === undefined ? 0 : num(body.wait_ms, "wait_ms");
      const answer =
        waitMs > 0
          ? await ctx.state.log.waitFor(
              after,
              (e) => e.type === "callbackAnswer" && e.queryId === pressed.queryId,
              { timeoutMs: waitMs },
            )
          : undefined;
      return { query_id: pressed.queryId, update_id: pressed.updateId, answer: answer ?? null };
    },
  ],
  [
    "POST",
    /^\/users\/(-?\d+)\/inline$/,
    async (ctx) => {
      const body = await ctx.body();
      const id = userId(ctx);
      const after = ctx.state.log.lastSeq;
      const asked = asClientError(() => ctx.state.inlineQuery(id, str(body.query, "query")));
      const waitMs = body.wait_ms === undefined ? 0 : num(body.wait_ms, "wait_ms");
      const answer =
        waitMs > 0
          ? await ctx.state.log.waitFor(
              after,
              (e) => e.type === "inlineAnswer" && e.queryId === asked.queryId,
              {
                timeoutMs: waitMs,
              },
            )
          : undefined;
      return { query_id: asked.queryId, update_id: asked.updateId, answer: answer ?? null };
    },
  ],
  [
    "POST",
    /^\/users\/(-?\d+)\/inline\/send$/,
    async (ctx) => {
      const body = await ctx.body();
      const id = userId(ctx);
      return asClientError(() =>
        ctx.state.sendInlineResult(
          id,
          str(body.query_id, "query_id"),
          str(body.result_id, "result_id"),
          num(body.chat_id, "chat_id"),
        ),
      );
    },
  ],
  [
    "POST",
    /^\/users\/(-?\d+)\/contact$/,
    async (ctx) => {
      const body = await ctx.body();
      const contact: { phone_number: string; first_name?: string; last_name?: string; user_id?: number } = {
        phone_number: str(body.phone_number, "phone_number"),
      };
      const first = optStr(body.first_name);
      const last = optStr(body.last_name);
      if (first !== undefined) contact.first_name = first;
      if (last !== undefined) contact.last_name = last;
      if (body.user_id !== undefined) contact.user_id = num(body.user_id, "user_id");
      const id = userId(ctx);
      return asClientError(() => ctx.state.shareContact(id, contact));
    },
  ],
  [
    "POST",
    /^\/users\/(-?\d+)\/document$/,
    async (ctx) => {
      const body = await ctx.body();
      const id = userId(ctx);
      return asClientError(() => ctx.state.sendDocument(id, upload(body)));
    },
  ],
  [
    "POST",
    /^\/users\/(-?\d+)\/photo$/,
    async (ctx) => {
      const body = await ctx.body();
      const id = userId(ctx);
      return asClientError(() => ctx.state.sendPhoto(id, upload(body)));
    },
  ],
  [
    "POST",
    /^\/users\/(-?\d+)\/block$/,
    (ctx) => {
      ctx.state.blockUser(userId(ctx));
      return true;
    },
  ],
  [
    "POST",
    /^\/users\/(-?\d+)\/unblock$/,
    (ctx) => {
      ctx.state.unblockUser(userId(ctx));
      return true;
    },
  ],
  ["GET", /^\/chats$/, ({ state }) => state.listChats().map((r) => chatSummary(state, r.chat.id))],
  ["GET", /^\/chats\/(-?\d+)$/, (ctx) => chatSummary(ctx.state, num(ctx.params[0], "chat id"))],
  [
    "GET",
    /^\/chats\/(-?\d+)\/messages$/,
    (ctx) => {
      const includeDeleted = ["1", "true"].includes(ctx.url.searchParams.get("include_deleted") ?? "");
      return ctx.state.messages(num(ctx.params[0], "chat id"), { includeDeleted });
    },
  ],
  ["GET", /^\/commands$/, ({ state }) => [...state.commands.values()]],
  [
    "POST",
    /^\/inject$/,
    async (ctx) => {
      const body = await ctx.body();
      const error: { error_code: number; description: string; retry_after?: number } = {
        error_code: num(body.error_code, "error_code"),
        description: str(body.description, "description"),
      };
      if (body.retry_after !== undefined) error.retry_after = num(body.retry_after, "retry_after");
      ctx.state.injectError(
        str(body.method, "method"),
        error,
        body.times === undefined ? 1 : num(body.times, "times"),
      );
      return true;
    },
  ],
  ["GET", /^\/faults$/, ({ faults }) => faultSummary(faults)],
  [
    "POST",
    /^\/faults$/,
    async (ctx) => {
      const body = await ctx.body();
      const { faults } = ctx;
      if (body.bad_gateway !== undefined) faults.badGateway = num(body.bad_gateway, "bad_gateway");
      if (body.reset_reused !== undefined) faults.resetReused = num(body.reset_reused, "reset_reused");
      if (body.down_ms !== undefined) {
        const ms = num(body.down_ms, "down_ms");
        // Answer first: once down, nobody hears the answer.
        setTimeout(() => {
          void faults.down().then(() => setTimeout(() => void faults.up(), ms));
        }, 10);
      }
      return faultSummary(faults);
    },
  ],
  [
    "GET",
    /^\/events\/poll$/,
    async ({ state, url, res }) => {
      const chatParam = url.searchParams.get("chat_id");
      const after = num(url.searchParams.get("after") ?? "0", "after");
      const timeoutMs = Math.min(60_000, num(url.searchParams.get("timeout_ms") ?? "0", "timeout_ms"));
      const controller = new AbortController();
      res.on("close", () => controller.abort());
      const options = {
        timeoutMs,
        signal: controller.signal,
        ...(chatParam === null ? {} : { chatId: num(chatParam, "chat_id") }),
      };
      const events = await state.log.wait(after, options);
      return { events, last_seq: state.log.lastSeq };
    },
  ],
];
