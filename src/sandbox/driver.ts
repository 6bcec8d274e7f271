/**
 * A simulated Telegram user for tests, on top of the emulator.
 *
 * Works in process (pass the emulator or its state) or across processes
 * (pass the emulator's URL; it uses the /_emulator control API), e.g.:
 *
 *   const driver = createDriver(emulator);
 *   const alice = driver.user({ id: 1001, first_name: "王阿姨", language_code: "zh-hans" });
 *   await alice.send("/start");
 *   const welcome = await alice.nextMessage();
 *   const { answer } = await alice.press("课程");
 *   const edited = await alice.nextEdit();
 *
 * Reading order: `nextMessage` / `nextEdit` return events after the later of
 * (a) what the same call returned last and (b) the user's last action, so a
 * reply the test never read does not leak into the next step. `waitFor` looks
 * at everything since the last action. Every wait has a timeout whose error
 * shows the chat's last messages.
 */
import { inlineRows, labelMatches, replyRows } from "./emulator/driver-format.ts";
import type { DriverTransport } from "./emulator/driver-transport.ts";
import { createHttpTransport, createLocalTransport } from "./emulator/driver-transport.ts";
import type {
  DriverOptions,
  DriverUserProfile,
  PressResult,
  WaitOptions,
} from "./emulator/driver-watcher.ts";
import { ChatWatcher, DriverError, showLabel } from "./emulator/driver-watcher.ts";
import type { CallbackAnswerEvent, InlineAnswerEvent } from "./emulator/events.ts";
import type { Emulator } from "./emulator/server.ts";
import type { UserUpload } from "./emulator/state.ts";
import { EmulatorState } from "./emulator/state.ts";
import type { StoredMessage, TgInlineButton } from "./emulator/types.ts";

export { buttonLabels, formatTranscript } from "./emulator/driver-format.ts";
export type { DriverTransport } from "./emulator/driver-transport.ts";
export type {
  DriverOptions,
  DriverUserProfile,
  PressResult,
  WaitOptions,
} from "./emulator/driver-watcher.ts";
export { ChatWatcher, DriverError } from "./emulator/driver-watcher.ts";

/** One simulated user and their private chat with the bot: reads (ChatWatcher) plus actions. */
export class DriverUser extends ChatWatcher {
  /** Sends a text or a command ("/start" gets its bot_command entity). */
  async send(text: string): Promise<StoredMessage> {
    await this.beginAction();
    return this.t.sendText(this.id, text);
  }

  /** Shares a contact, as a request_contact button does; defaults to the profile's phone. */
  async shareContact(phone = this.profile.phone): Promise<StoredMessage> {
    if (phone === undefined)
      throw new DriverError(`user ${this.id} has no phone: pass one or set profile.phone`);
    await this.beginAction();
    return this.t.shareContact(this.id, {
      phone_number: phone,
      first_name: this.profile.first_name,
      user_id: this.id,
    });
  }

  /** Sends a document (bytes kept by the emulator, reachable by the bot through getFile). */
  async sendDocument(upload: UserUpload): Promise<StoredMessage> {
    await this.beginAction();
    return this.t.sendDocument(this.id, upload);
  }

  /** Sends a photo (PNG/JPEG/GIF/WebP bytes). */
  async sendPhoto(upload: UserUpload): Promise<StoredMessage> {
    await this.beginAction();
    return this.t.sendPhoto(this.id, upload);
  }

  /** Blocks the bot (its sends then get 403) or unblocks it. */
  async setBlocked(blocked: boolean): Promise<void> {
    await this.beginAction();
    await this.t.setBlocked(this.id, blocked);
  }

  /**
   * Presses the inline button labelled `label` (exact text or RegExp) on the
   * newest bot message that shows it, and by default waits for the bot's
   * answerCallbackQuery — a missing answer (a spinning button) is an error.
   */
  async press(
    label: string | RegExp,
    options: WaitOptions & { expectAnswer?: boolean } = {},
  ): Promise<PressResult> {
    await this.ready;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    await this.settle();
    const find = async (): Promise<{ message: StoredMessage; button: TgInlineButton } | undefined> => {
      const bots = (await this.t.messages(this.id)).filter((m) => m.side === "bot").reverse();
      for (const message of bots) {
        const button = inlineRows(message.reply_markup)
          .flat()
          .find((b) => labelMatches(label, b.text));
        if (button) return { message, button };
      }
      return undefined;
    };
    const found = await this.findWithRetry(find, timeoutMs);
    if (!found) {
      const visible = (await this.t.messages(this.id))
        .filter((m) => inlineRows(m.reply_markup).length > 0)
        .map(
          (m) =>
            `#${m.message_id}: ${inlineRows(m.reply_markup)
              .map((r) => r.map((b) => b.text).join(" | "))
              .join(" / ")}`,
        );
      return this.fail(
        `no inline button ${showLabel(label)} within ${timeoutMs} ms; visible inline buttons: ${visible.length ? visible.join("; ") : "none"}`,
      );
    }
    const { message, button } = found;
    if (button.callback_data === undefined) {
      if (button.url !== undefined) return { message, button };
      throw new DriverError(
        `button "${button.text}" is neither a callback nor a URL button; the driver cannot press it`,
      );
    }
    await this.beginAction();
    const before = this.actionSeq;
    const { queryId } = await this.t.pressButton(this.id, message.message_id, button.callback_data);
    if (options.expectAnswer === false) return { message, button, queryId };
    const answered = await this.waitEvent(
      before,
      (e) => e.type === "callbackAnswer" && e.queryId === queryId,
      `the bot did not answer the callback query of "${button.text}" on #${message.message_id} (Telegram would show a spinner)`,
      timeoutMs,
    );
    return { message, button, queryId, answer: answered as CallbackAnswerEvent };
  }

  /**
   * Types `@bot <query>` in some chat and waits for the bot's answerInlineQuery; no answer in
   * time is an error (Telegram would show nothing, and the person would give up).
   */
  async inlineQuery(query: string, options: WaitOptions = {}): Promise<InlineAnswerEvent> {
    await this.beginAction();
    const before = this.actionSeq;
    const { queryId } = await this.t.inlineQuery(this.id, query);
    const answered = await this.waitEvent(
      before,
      (e) => e.type === "inlineAnswer" && e.queryId === queryId,
      `the bot did not answer the inline query ${JSON.stringify(query.slice(0, 40))}`,
      options.timeoutMs ?? this.timeoutMs,
    );
    return answered as InlineAnswerEvent;
  }

  /**
   * Taps a reply-keyboard button: sends its text, or shares the contact for a
   * request_contact button (phone from `options.phone` or the profile).
   */
  async pressReply(
    label: string | RegExp,
    options: WaitOptions & { phone?: string } = {},
  ): Promise<StoredMessage> {
    await this.ready;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    await this.settle();
    const find = async () =>
      replyRows((await this.t.chat(this.id)).reply_keyboard)
        .flat()
        .find((b) => labelMatches(label, b.text));
    const button = await this.findWithRetry(find, timeoutMs);
    if (!button) {
      const shown = replyRows((await this.t.chat(this.id)).reply_keyboard).map((r) =>
        r.map((b) => b.text).join(" | "),
      );
      return this.fail(
        `no reply-keyboard button ${showLabel(label)} within ${timeoutMs} ms; keyboard shown: ${shown.length ? shown.join(" / ") : "none"}`,
      );
    }
    if (button.request_contact) return this.shareContact(options.phone ?? this.profile.phone);
    if (button.request_location)
      throw new DriverError(`button "${button.text}" requests a location; the driver cannot share one`);
    return this.send(button.text);
  }
}

/** A factory of simulated users bound to one emulator. */
export interface Driver {
  readonly transport: DriverTransport;
  /** A simulated user; the emulator learns of them right away (in the background over HTTP). */
  user(profile: DriverUserProfile): DriverUser;
}

/**
 * Creates a driver for an emulator in this process (the `Emulator` or its
 * `EmulatorState`) or in another one (its apiRoot or control URL).
 */
export function createDriver(target: Emulator | EmulatorState | string, options: DriverOptions = {}): Driver {
  const transport =
    typeof target === "string"
      ? createHttpTransport(target)
      : createLocalTransport(target instanceof EmulatorState ? target : target.state);
  const resolved = { timeoutMs: options.timeoutMs ?? 3000, settleMs: options.settleMs ?? 1000 };
  return { transport, user: (profile) => new DriverUser(transport, profile, resolved) };
}
