import { ApiError, badRequest } from "../errors.ts";
import type { TgBotCommand } from "../types.ts";
import { canonicalJson } from "../validation.ts";
import type { MethodContext, MethodHandler } from "./context.ts";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const getMe: MethodHandler = ({ state }) => ({
  ...state.bot,
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
});

const getUpdates: MethodHandler = ({ state, params, signal }) => {
  if (state.webhook) {
    throw new ApiError(
      409,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );
  }
  const limit = Math.min(100, Math.max(1, params.int("limit") ?? 100));
  const offset = params.int("offset");
  const timeoutSeconds = Math.max(0, params.int("timeout") ?? 0);
  return state.updates.get(
    offset === undefined ? { limit, timeoutSeconds, signal } : { offset, limit, timeoutSeconds, signal },
  );
};

const setWebhook: MethodHandler = ({ state, params }) => {
  const url = params.str("url") ?? "";
  if (url === "") {
    state.webhook = undefined;
    return true;
  }
  if (!/^https:\/\//i.test(url)) throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
  const webhook: NonNullable<typeof state.webhook> = { url };
  const secret = params.str("secret_token");
  if (secret !== undefined) webhook.secret_token = secret;
  const maxConnections = params.int("max_connections");
  if (maxConnections !== undefined) webhook.max_connections = maxConnections;
  const allowed = params.json("allowed_updates", "can't parse allowed updates");
  if (allowed !== undefined) webhook.allowed_updates = allowed;
  if (params.bool("drop_pending_updates")) state.updates.clear();
  // Stored only: the emulator does not deliver to webhooks.
  state.webhook = webhook;
  return true;
};

const deleteWebhook: MethodHandler = ({ state, params }) => {
  state.webhook = undefined;
  if (params.bool("drop_pending_updates")) state.updates.clear();
  return true;
};

const getWebhookInfo: MethodHandler = ({ state }) => {
  const info: Record<string, unknown> = {
    url: state.webhook?.url ?? "",
    has_custom_certificate: false,
    pending_update_count: state.updates.size,
  };
  if (state.webhook?.max_connections !== undefined) info.max_connections = state.webhook.max_connections;
  if (state.webhook?.allowed_updates !== undefined) info.allowed_updates = state.webhook.allowed_updates;
  if (state.webhook?.last_error_date !== undefined) {
    info.last_error_date = state.webhook.last_error_date;
    info.last_error_message = state.webhook.last_error_message ?? "";
  }
  return info;
};

const SCOPE_TYPES = new Set([
  "default",
  "all_private_chats",
  "all_group_chats",
  "all_chat_administrators",
  "chat",
  "chat_administrators",
  "chat_member",
]);
const CHAT_SCOPES = new Set(["chat", "chat_administrators", "chat_member"]);

function commandsKey(ctx: MethodContext): {
  key: string;
  scope: Record<string, unknown>;
  language_code: string;
} {
  const rawScope = ctx.params.json("scope", "can't parse BotCommandScope JSON object");
  if (rawScope !== undefined && !isObject(rawScope))
    throw badRequest("can't parse BotCommandScope JSON object");
  const scope = rawScope ?? { type: "default" };
  if (typeof scope.type !== "string" || !SCOPE_TYPES.has(scope.type))
    throw badRequest("can't parse BotCommandScope JSON object");
  if (CHAT_SCOPES.has(scope.type)) {
    // As Telegram: a chat the bot has never seen (a user who never pressed Start) is refused.
    const chatId = scopeChatId(scope);
    if (chatId === undefined || !ctx.state.getChat(chatId)) throw badRequest("chat not found");
  }
  const language_code = ctx.params.str("language_code") ?? "";
  return { key: `${canonicalJson(scope)}|${language_code}`, scope, language_code };
}

function scopeChatId(scope: Record<string, unknown>): number | undefined {
  const id = scope.chat_id;
  return typeof id === "number" ? id : typeof id === "string" && /^-?\d+$/.test(id) ? Number(id) : undefined;
}

function parseCommands(ctx: MethodContext): TgBotCommand[] {
  const raw = ctx.params.json("commands", "can't parse commands JSON object");
  if (raw === undefined) throw badRequest('parameter "commands" is required');
  if (!Array.isArray(raw)) throw badRequest("can't parse commands JSON object");
  if (raw.length > 100) throw badRequest("too many commands specified");
  return raw.map((c: unknown) => {
    if (!isObject(c) || typeof c.command !== "string" || typeof c.description !== "string") {
      throw badRequest("can't parse BotCommand JSON object");
    }
    // Telegram strips a leading slash but otherwise wants 1-32 of [a-z0-9_].
    const command = c.command.replace(/^\//, "");
    if (!/^[a-z0-9_]{1,32}$/.test(command)) throw badRequest("BOT_COMMAND_INVALID");
    const description = c.description.trim();
    if (description.length < 1 || description.length > 256)
      throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
    return { command, description };
  });
}

function emitCommands(
  ctx: MethodContext,
  scope: Record<string, unknown>,
  language_code: string,
  commands: TgBotCommand[],
): void {
  const chatId = scopeChatId(scope);
  const event = { type: "commands" as const, scope, language_code, commands };
  ctx.state.log.push(chatId === undefined ? event : { ...event, chatId });
}

const setMyCommands: MethodHandler = (ctx) => {
  const commands = parseCommands(ctx);
  const { key, scope, language_code } = commandsKey(ctx);
  if (commands.length === 0) ctx.state.commands.delete(key);
  else ctx.state.commands.set(key, { scope, language_code, commands });
  emitCommands(ctx, scope, language_code, commands);
  return true;
};

const getMyCommands: MethodHandler = (ctx) => ctx.state.commands.get(commandsKey(ctx).key)?.commands ?? [];

const deleteMyCommands: MethodHandler = (ctx) => {
  const { key, scope, language_code } = commandsKey(ctx);
  ctx.state.commands.delete(key);
  emitCommands(ctx, scope, language_code, []);
  return true;
};

const setChatMenuButton: MethodHandler = ({ state, params }) => {
  const button = params.json("menu_button", "can't parse menu button JSON object") ?? { type: "default" };
  if (!params.has("chat_id")) {
    state.defaultMenuButton = button;
    return true;
  }
  state.requireChat(params.int("chat_id")).menuButton = button;
  return true;
};

const getChatMenuButton: MethodHandler = ({ state, params }) => {
  if (!params.has("chat_id")) return state.defaultMenuButton;
  return state.requireChat(params.int("chat_id")).menuButton ?? state.defaultMenuButton;
};

const getChat: MethodHandler = ({ state, params }) => {
  const { chat } = state.requireChat(params.int("chat_id"));
  return {
    ...chat,
    accent_color_id: 0,
    max_reaction_count: 11,
    accepted_gift_types: {
      unlimited_gifts: false,
      limited_gifts: false,
      unique_gifts: false,
      premium_subscription: false,
    },
  };
};

/** getMe, getUpdates, webhooks, commands, menu button, getChat, close and logOut. */
export const botMethods: Record<string, MethodHandler> = {
  getMe,
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  setMyCommands,
  getMyCommands,
  deleteMyCommands,
  setChatMenuButton,
  getChatMenuButton,
  getChat,
  close: () => true,
  logOut: () => true,
};
