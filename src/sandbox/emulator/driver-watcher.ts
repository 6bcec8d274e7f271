import { buttonLabels, formatTranscript } from "./driver-format.ts";
import type { DriverTransport } from "./driver-transport.ts";
import type { CallbackAnswerEvent, EmulatorEvent } from "./events.ts";
import type { StoredMessage, TgInlineButton, UserProfile } from "./types.ts";

/** Driver-wide settings. */
export interface DriverOptions {
  /** Default timeout of every wait, in ms. Default 3000. */
  timeoutMs?: number;
  /** How long `press` / `pressReply` let the bot react to the previous action before searching buttons. Default 1000. */
  settleMs?: number;
}

/** Per-call wait options. */
export interface WaitOptions {
  timeoutMs?: number;
}

/** What `press` did. */
export interface PressResult {
  message: StoredMessage;
  button: TgInlineButton;
  queryId?: string;
  /** The bot's answerCallbackQuery (undefined for URL buttons or `expectAnswer: false`). */
  answer?: CallbackAnswerEvent;
}

/** A profile for `driver.user`, with an optional phone for contact sharing. */
export type DriverUserProfile = UserProfile & { phone?: string };

/** Raised when a wait times out or a button is missing; the message includes the chat's transcript. */
export class DriverError extends Error {
  override name = "DriverError";
}

export const showLabel = (label: string | RegExp): string =>
  typeof label === "string" ? JSON.stringify(label) : String(label);

export const isBotEvent = (e: EmulatorEvent): boolean =>
  (e.type === "message" && e.message.side === "bot") ||
  e.type === "edit" ||
  e.type === "delete" ||
  e.type === "callbackAnswer";

/**
 * The reading half of a simulated user: the chat's messages, and waits on
 * the emulator's event stream with cursors (see the ordering rules in
 * driver.ts). `DriverUser` adds the actions.
 */
export class ChatWatcher {
  readonly id: number;
  readonly profile: DriverUserProfile;
  protected readonly t: DriverTransport;
  protected readonly timeoutMs: number;
  protected readonly settleMs: number;
  protected readonly ready: Promise<void>;
  protected messageCursor = 0;
  protected editCursor = 0;
  protected actionSeq = 0;

  constructor(transport: DriverTransport, profile: DriverUserProfile, options: Required<DriverOptions>) {
    this.t = transport;
    this.profile = profile;
    this.id = profile.id;
    this.timeoutMs = options.timeoutMs;
    this.settleMs = options.settleMs;
    const { phone: _phone, ...userProfile } = profile;
    this.ready = (async () => {
      await transport.ensureUser(userProfile);
      this.actionSeq = await transport.lastSeq();
      this.messageCursor = this.actionSeq;
      this.editCursor = this.actionSeq;
    })();
    // Surfaced by the first awaited call; avoid an unhandled rejection meanwhile.
    this.ready.catch(() => undefined);
  }

  /** Marks the start of a user action: later reads look only past this point. */
  protected async beginAction(): Promise<void> {
    await this.ready;
    this.actionSeq = await this.t.lastSeq();
  }

  /** All messages of the chat, both sides, oldest first (deleted ones left out unless asked). */
  async messages(options: { includeDeleted?: boolean } = {}): Promise<StoredMessage[]> {
    await this.ready;
    return this.t.messages(this.id, options.includeDeleted ?? false);
  }

  /** The newest bot message still in the chat. */
  async lastMessage(): Promise<StoredMessage | undefined> {
    return (await this.messages()).filter((m) => m.side === "bot").at(-1);
  }

  /** Flat list of button labels of a message. */
  buttons(message: StoredMessage | undefined): string[] {
    return buttonLabels(message);
  }

  /** The chat's last messages as text (what timeout errors show). */
  async transcript(count = 6): Promise<string> {
    return formatTranscript(await this.messages({ includeDeleted: true }), count);
  }

  /** The bytes of a document or photo (largest size) in a message. */
  async download(message: StoredMessage): Promise<Buffer> {
    const fileId = message.document?.file_id ?? message.photo?.at(-1)?.file_id;
    if (fileId === undefined)
      throw new DriverError(`message #${message.message_id} has no document or photo`);
    return this.t.download(fileId);
  }

  protected async fail(what: string): Promise<never> {
    const transcript = await this.transcript().catch(() => "  (transcript unavailable)");
    throw new DriverError(`${what}\nLast messages in chat ${this.id}:\n${transcript}`);
  }

  /** First event after `after` that matches, or a DriverError naming `what` after the timeout. */
  protected async waitEvent(
    after: number,
    match: (e: EmulatorEvent) => boolean,
    what: string,
    timeoutMs: number,
  ): Promise<EmulatorEvent> {
    await this.ready;
    const deadline = Date.now() + timeoutMs;
    let cursor = after;
    for (;;) {
      const remaining = deadline - Date.now();
      const events = await this.t.poll(cursor, this.id, Math.max(0, remaining));
      const hit = events.find(match);
      if (hit) return hit;
      cursor = events.at(-1)?.seq ?? cursor;
      if (remaining <= 0) return this.fail(`${what}: nothing within ${timeoutMs} ms`);
    }
  }

  /** The next new bot message in the chat (as it was when sent). */
  async nextMessage(options: WaitOptions = {}): Promise<StoredMessage> {
    await this.ready;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const after = Math.max(this.messageCursor, this.actionSeq);
    const e = await this.waitEvent(
      after,
      (ev) => ev.type === "message" && ev.message.side === "bot",
      "waiting for a bot message",
      timeoutMs,
    );
    this.messageCursor = e.seq;
    return (e as Extract<EmulatorEvent, { type: "message" }>).message;
  }

  /** The next edit of any message in the chat (the message after the edit). */
  async nextEdit(options: WaitOptions = {}): Promise<StoredMessage> {
    await this.ready;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const after = Math.max(this.editCursor, this.actionSeq);
    const e = await this.waitEvent(after, (ev) => ev.type === "edit", "waiting for an edit", timeoutMs);
    this.editCursor = e.seq;
    return (e as Extract<EmulatorEvent, { type: "edit" }>).message;
  }

  /** A bot message or edit since the last action (or since `since`, an event seq) that satisfies `predicate`. */
  async waitFor(
    predicate: (m: StoredMessage) => boolean,
    options: WaitOptions & { since?: number } = {},
  ): Promise<StoredMessage> {
    await this.ready;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const match = (e: EmulatorEvent): boolean =>
      ((e.type === "message" && e.message.side === "bot") || e.type === "edit") && predicate(e.message);
    const e = (await this.waitEvent(
      options.since ?? this.actionSeq,
      match,
      `waiting for a message matching ${predicate.toString().slice(0, 120)}`,
      timeoutMs,
    )) as Extract<EmulatorEvent, { type: "message" | "edit" }>;
    if (e.type === "message") this.messageCursor = Math.max(this.messageCursor, e.seq);
    else this.editCursor = Math.max(this.editCursor, e.seq);
    return e.message;
  }

  /** Gives the bot up to settleMs to react to the last action, so buttons are searched on fresh messages. */
  protected async settle(): Promise<void> {
    const events = await this.t.poll(this.actionSeq, this.id, 0);
    if (events.some(isBotEvent) || this.settleMs <= 0) return;
    await this.waitEvent(this.actionSeq, isBotEvent, "settle", this.settleMs).catch(() => undefined);
  }

  /** Retries `find` on every chat event until it returns something or the timeout passes. */
  protected async findWithRetry<T>(
    find: () => Promise<T | undefined>,
    timeoutMs: number,
  ): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seq = await this.t.lastSeq();
      const found = await find();
      if (found !== undefined) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return undefined;
      await this.t.poll(seq, this.id, remaining);
    }
  }
}
