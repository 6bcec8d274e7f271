/**
 * Telegram Bot API emulator for tests and the sandbox web chat.
 *
 * Start it, point grammY at it (`new Bot(token, { client: { apiRoot } })`),
 * then act as users through `state` (in process) or the /_emulator control
 * API (another process), and watch `state.events`.
 */

export { ApiError } from "./errors.ts";
export type {
  ApiErrorEvent,
  CallbackAnswerEvent,
  ChatActionEvent,
  CommandsEvent,
  DeleteEvent,
  EditEvent,
  EmulatorEvent,
  EmulatorEventMap,
  EmulatorEventType,
  MessageEvent,
} from "./events.ts";
export { EventLog } from "./events.ts";
export type { StoredFile } from "./file-store.ts";
export type { FormattedText } from "../../telegram-html-parser.ts";
export { parseHtml } from "../../telegram-html-parser.ts";
export { METHOD_NAMES } from "./methods/index.ts";
export type { BucketConfig, RateLimitOptions } from "./rate-limiter.ts";
export type { Emulator } from "./server.ts";
export { createEmulator } from "./server.ts";
export type {
  CallbackAnswer,
  ChatRecord,
  EmulatorOptions,
  EmulatorStats,
  InjectedError,
  UserUpload,
} from "./state.ts";
export { DEFAULT_TOKEN, EmulatorState, StateCore } from "./state.ts";
export type * from "./types.ts";
