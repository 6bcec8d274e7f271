import { EventEmitter } from "node:events";
import type { StoredMessage, TgBotCommand } from "./types.ts";

interface Base {
  /** Position in the emulator's event log; strictly increasing. */
  seq: number;
}

export interface MessageEvent extends Base {
  type: "message";
  chatId: number;
  message: StoredMessage;
}

export interface EditEvent extends Base {
  type: "edit";
  chatId: number;
  message: StoredMessage;
}

export interface DeleteEvent extends Base {
  type: "delete";
  chatId: number;
  messageId: number;
  message: StoredMessage;
}

export interface CallbackAnswerEvent extends Base {
  type: "callbackAnswer";
  chatId: number;
  queryId: string;
  messageId: number;
  text?: string;
  show_alert: boolean;
  url?: string;
}

/** The bot answered an inline query; chatId is the asking user's private chat. */
export interface InlineAnswerEvent extends Base {
  type: "inlineAnswer";
  chatId: number;
  queryId: string;
  query: string;
  answer: import("./inline.ts").InlineAnswer;
}

export interface CommandsEvent extends Base {
  type: "commands";
  /** Set when the scope names one chat. */
  chatId?: number;
  scope: Record<string, unknown>;
  language_code: string;
  commands: TgBotCommand[];
}

export interface ChatActionEvent extends Base {
  type: "chatAction";
  chatId: number;
  action: string;
}

/** An error the emulator answered; lets a UI show why the bot's call failed. */
export interface ApiErrorEvent extends Base {
  type: "apiError";
  chatId?: number;
  method: string;
  error_code: number;
  description: string;
}

export type EmulatorEvent =
  | MessageEvent
  | EditEvent
  | DeleteEvent
  | CallbackAnswerEvent
  | InlineAnswerEvent
  | CommandsEvent
  | ChatActionEvent
  | ApiErrorEvent;

export type EmulatorEventType = EmulatorEvent["type"];

/** Distributes an event without its `seq`, which the log assigns. */
type OmitSeq<T> = T extends unknown ? Omit<T, "seq"> : never;
export type NewEvent = OmitSeq<EmulatorEvent>;

/** Event name → listener arguments; "event" carries every event. */
export interface EmulatorEventMap {
  message: [MessageEvent];
  edit: [EditEvent];
  delete: [DeleteEvent];
  callbackAnswer: [CallbackAnswerEvent];
  inlineAnswer: [InlineAnswerEvent];
  commands: [CommandsEvent];
  chatAction: [ChatActionEvent];
  apiError: [ApiErrorEvent];
  event: [EmulatorEvent];
}

/**
 * The emulator's event stream: an EventEmitter for live listeners plus a
 * bounded log with sequence numbers, so a poller (driver over HTTP, a page
 * that reconnects) can ask "what happened after seq N" without gaps.
 */
export class EventLog {
  readonly emitter = new EventEmitter<EmulatorEventMap>();
  /** The kept events are log[start…]: older ones are dropped in batches, not one by one. */
  private log: EmulatorEvent[] = [];
  private start = 0;
  private seq = 0;
  private readonly max: number;

  constructor(max = 10_000) {
    this.max = max;
    // A web page and a driver per user may listen at once; the default 10 would warn.
    this.emitter.setMaxListeners(0);
  }

  /** The seq of the latest event (0 before any). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Appends an event (a deep copy, so later mutation of state does not leak) and emits it. */
  push(event: NewEvent): EmulatorEvent {
    this.seq += 1;
    const full = copyPlain({ ...event, seq: this.seq }) as EmulatorEvent;
    this.log.push(full);
    // Dropping the oldest event with splice moves the whole log on every push once it is full;
    // the start index moves instead, and the array is cut down once per `max` events.
    if (this.log.length - this.start > this.max) {
      this.start = this.log.length - this.max;
      if (this.start >= this.max) {
        this.log = this.log.slice(this.start);
        this.start = 0;
      }
    }
    // Each branch narrows `full` so the emitter's per-name typing holds.
    switch (full.type) {
      case "message":
        this.emitter.emit("message", full);
        break;
      case "edit":
        this.emitter.emit("edit", full);
        break;
      case "delete":
        this.emitter.emit("delete", full);
        break;
      case "callbackAnswer":
        this.emitter.emit("callbackAnswer", full);
        break;
      case "inlineAnswer":
        this.emitter.emit("inlineAnswer", full);
        break;
      case "commands":
        this.emitter.emit("commands", full);
        break;
      case "chatAction":
        this.emitter.emit("chatAction", full);
        break;
      case "apiError":
        this.emitter.emit("apiError", full);
        break;
    }
    this.emitter.emit("event", full);
    return full;
  }

  /** Events with seq > `after`, optionally only those of one chat. */
  since(after: number, chatId?: number): EmulatorEvent[] {
    const found: EmulatorEvent[] = [];
    for (let i = this.start; i < this.log.length; i++) {
      const e = this.log[i] as EmulatorEvent;
      if (e.seq > after && (chatId === undefined || e.chatId === chatId)) found.push(e);
    }
    return found;
  }

  /**
   * Resolves with the first event after `after` that matches, or undefined
   * after `timeoutMs` (or on abort).
   */
  async waitFor(
    after: number,
    predicate: (e: EmulatorEvent) => boolean,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<EmulatorEvent | undefined> {
    const deadline = Date.now() + options.timeoutMs;
    let cursor = after;
    for (;;) {
      const remaining = deadline - Date.now();
      const batch = await this.wait(cursor, {
        timeoutMs: Math.max(0, remaining),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const hit = batch.find(predicate);
      if (hit) return hit;
      const last = batch[batch.length - 1];
      if (last) cursor = last.seq;
      if (remaining <= 0 || options.signal?.aborted) return undefined;
    }
  }

  /**
   * Resolves with the events after `after` as soon as there is at least one
   * (for `chatId` if given), or with [] after `timeoutMs` or on abort.
   */
  wait(
    after: number,
    options: { chatId?: number; timeoutMs: number; signal?: AbortSignal },
  ): Promise<EmulatorEvent[]> {
    const ready = this.since(after, options.chatId);
    if (ready.length > 0 || options.timeoutMs <= 0) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.emitter.off("event", onEvent);
        options.signal?.removeEventListener("abort", done);
        resolve(this.since(after, options.chatId));
      };
      const onEvent = (e: EmulatorEvent): void => {
        if (options.chatId === undefined || e.chatId === options.chatId) done();
      };
      const timer = setTimeout(done, options.timeoutMs);
      this.emitter.on("event", onEvent);
      options.signal?.addEventListener("abort", done, { once: true });
    });
  }
}

/**
 * A deep copy of plain data (objects, arrays, primitives), which is all an event holds: the
 * same result as structuredClone for it, at a fraction of the cost on every emulated call.
 */
function copyPlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyPlain) as T;
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) copy[k] = copyPlain(v);
    return copy as T;
  }
  return value;
}
