import type { EmulatorEvent } from "../emulator/events.ts";
import type { EmulatorState } from "../emulator/state.ts";
import type { StoredMessage, TgBotCommand } from "../emulator/types.ts";
import type { WebPersona } from "./personas.ts";

/** A stored message without its Telegram-shaped copy, which the page does not need. */
export type PageMessage = Omit<StoredMessage, "raw">;

export const toPage = ({ raw: _raw, ...rest }: StoredMessage): PageMessage => rest;

/** Creates (or refreshes) the persona's Telegram user and private chat in the emulator. */
export function openChat(state: EmulatorState, persona: WebPersona): void {
  state.ensureUser({
    id: persona.id,
    first_name: persona.first_name,
    ...(persona.last_name ? { last_name: persona.last_name } : {}),
    language_code: persona.language_code,
  });
}

/**
 * The command menu a Telegram client shows in this chat, following the Bot API's lookup order:
 * chat scope, then all private chats, then default; in each, the user's language before none.
 */
export function menuCommands(state: EmulatorState, chatId: number, languageCode: string): TgBotCommand[] {
  const sets = [...state.commands.values()];
  const lang = languageCode.slice(0, 2);
  const scopes: Array<(s: Record<string, unknown>) => boolean> = [
    (s) => s.type === "chat" && Number(s.chat_id) === chatId,
    (s) => s.type === "all_private_chats",
    (s) => s.type === "default",
  ];
  for (const matches of scopes) {
    for (const wanted of [lang, ""]) {
      const hit = sets.find((c) => matches(c.scope) && c.language_code === wanted);
      if (hit && hit.commands.length > 0) return hit.commands;
    }
  }
  return [];
}

/** What the page needs to draw a chat from scratch; `last_seq` is where its event stream resumes. */
export function snapshot(state: EmulatorState, persona: WebPersona) {
  const record = state.getChat(persona.id);
  return {
    persona,
    messages: state.messages(persona.id).map(toPage),
    reply_keyboard: record?.replyKeyboard ?? null,
    commands: menuCommands(state, persona.id, persona.language_code),
    last_seq: state.log.lastSeq,
  };
}

/** An event as the page receives it: this chat's own, and every command-menu change. */
export function pageEvent(e: EmulatorEvent, chatId: number): Record<string, unknown> | undefined {
  if (e.type === "commands") return { type: "commands", seq: e.seq };
  if (e.chatId !== chatId) return undefined;
  return chatEvent(e);
}

/**
 * Every chat's events on one stream, each naming its chat: all of a browser's tabs share one
 * connection (browsers allow six per host; a tab holding its own froze the seventh).
 */
export function pageEventAll(e: EmulatorEvent): Record<string, unknown> | undefined {
  if (e.type === "commands") return { type: "commands", seq: e.seq };
  const out = chatEvent(e);
  return out && "chatId" in e ? { ...out, chat_id: e.chatId } : undefined;
}

function chatEvent(e: EmulatorEvent): Record<string, unknown> | undefined {
  switch (e.type) {
    case "message":
    case "edit":
      return { type: e.type, seq: e.seq, message: toPage(e.message) };
    case "delete":
      return { type: e.type, seq: e.seq, message_id: e.messageId };
    case "callbackAnswer":
      return {
        type: e.type,
        seq: e.seq,
        queryId: e.queryId,
        messageId: e.messageId,
        text: e.text ?? "",
        show_alert: e.show_alert,
        url: e.url ?? null,
      };
    case "chatAction":
      return { type: e.type, seq: e.seq, action: e.action };
    case "apiError":
      return {
        type: e.type,
        seq: e.seq,
        method: e.method,
        error_code: e.error_code,
        description: e.description,
      };
    default:
      return undefined;
  }
}
