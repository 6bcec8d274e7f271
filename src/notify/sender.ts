/**
 * Delivery policy of the outbox (what each failure does to a row; docs/RELIABILITY.md has it
 * per message kind):
 *
 * - Not delivered (no connection, DNS, a kept-alive connection found dead, an answer that is
 *   not Telegram's JSON such as a proxy's HTML 502, Telegram's 5xx, 401/404): the row goes
 *   back to `pending` and is tried again after a backoff capped at one minute, for as long as
 *   its deadline allows. 429: everybody waits `retry_after`, the row keeps its place.
 * - Deadline: every row has one (a class reminder: the class's start; an offer: its expiry; a
 *   shift ping: the shift's start; the digest, a broadcast: a day; see delivery-policy.ts). Past
 *   it a row not yet sent becomes `expired`, with the reason, and is never sent late.
 * - Uncertain (a timeout, or a fresh connection cut after the request went out and before any
 *   answer; a row found `sending` at start-up after a crash): Telegram may have delivered it.
 *   Kinds a person acts on in time (reminders, offers, shift pings and reminders, moved or
 *   cancelled classes and shifts) are sent once more, because a reminder twice is better than
 *   none and their buttons act on the current state. Every other kind (digest, broadcast,
 *   staff notices, feedback requests) stays `uncertain` for an operator to check.
 * - Never opened the chat ("chat not found", "can't initiate conversation"): the row is
 *   `waiting`, and so are later rows for that chat, without a request each; they go out when
 *   the person writes to the bot (markReachable), if still within their deadline.
 * - Blocked (any other 403): the row fails, the person is marked unreachable, their other rows
 *   are cancelled.
 * - Rejected (any other 4xx): the row fails with Telegram's description.
 * Error texts are redacted before they are stored or logged: they never carry the token.
 */
import { Api, InputFile } from "grammy";
import type { i18n as I18n } from "i18next";
import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/connection.ts";
import type { Logger } from "../logger.ts";
import { redactedError } from "../redact.ts";
import { policyFor } from "./delivery-policy.ts";
import type { PaceOptions } from "./pacer.ts";
import { dispatchPaced, Pacer, sleep, TELEGRAM_PACE } from "./pacer.ts";
import { renderRow } from "./render.ts";
import type { SendOutcome } from "./send-outcome.ts";
import { classifySendError } from "./send-outcome.ts";
import { prepareSender, type Row } from "./sender-store.ts";
import type { RenderedMessage, Template } from "./template.ts";
import { createTelegramFetch } from "./transport.ts";

export type SendOutcomeName =
  | "sent"
  | "retried"
  | "rate_limited"
  | "blocked"
  | "expired"
  | "uncertain"
  | "failed";

export interface SenderDeps {
  db: Db;
  /**
   * Where to send: token and client options (apiRoot, fetch) are taken from this Api, but its
   * transformers are not. The sender obeys 429s itself, for all chats at once, and must never
   * let auto-retry resend a request that may have gone through. Without a `fetch` of its own the
   * sender uses createTelegramFetch, which tells a dead connection from a maybe-delivered request.
   */
  api: Api;
  i18n: I18n;
  config: Config;
  clock: Clock;
  logger: Logger;
  templates: Record<string, Template>;
  pace?: Partial<PaceOptions>;
  /** The Pacer shared with the bot's replies (paceReplies); `pace` is ignored when given. */
  pacer?: Pacer;
  /** Delay before try n+1 after n tries that did not deliver. Default 2^n s, at most 60 s. */
  backoffMs?: (attempt: number) => number;
  /** Idle time between polls of the outbox in start(). Default 1000 ms. */
  pollMs?: number;
  /** Sends in flight at once across chats. Default 64. */
  concurrency?: number;
  /**
   * Called once per outcome of a row's turn: sent; retried (not delivered, tried again later);
   * rate_limited (429, row kept); blocked (blocked the bot, or never opened the chat: waits);
   * expired (deadline passed); uncertain; failed (rejected or broken template).
   */
  onOutcome?: (outcome: SendOutcomeName) => void;
}

export interface SendStats {
  sent: number;
  failed: number;
  dropped: number;
  cancelled: number;
  uncertain: number;
  /** Rows put back for a later attempt (not delivered). */
  retried: number;
  /** 429 answers obeyed. */
  rateLimited: number;
  /** Rows past their deadline, never sent. */
  expired: number;
  /** Rows held for someone who never opened the chat. */
  waiting: number;
}

export interface Sender {
  start(): void;
  stop(): Promise<void>;
  /** Sends every row due now, at Telegram's pace, and resolves when they are all settled. */
  drainOnce(): Promise<SendStats>;
  /** Ends start()'s idle wait early (new rows were enqueued). */
  wake(): void;
}

/** Backoff between tries that did not deliver: 2, 4, 8 ... s, never more than a minute. */
export const defaultBackoff = (attempt: number): number => Math.min(60_000, 1000 * 2 ** attempt);

/** Telegram answers in well under a second; a request hanging this long is given up as uncertain. */
const REQUEST_TIMEOUT_S = 60;

async function sendOne(api: Api, chatId: number, m: RenderedMessage): Promise<number> {
  const extra = { parse_mode: "HTML" as const, ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}) };
  if (m.photo) {
    return (
      await api.sendPhoto(chatId, new InputFile(m.photo.bytes, m.photo.filename), {
        ...extra,
        caption: m.text,
      })
    ).message_id;
  }
  if (m.document) {
    const file = new InputFile(m.document.bytes, m.document.filename);
    return (await api.sendDocument(chatId, file, { ...extra, caption: m.text })).message_id;
  }
  return (await api.sendMessage(chatId, m.text, { ...extra, link_preview_options: { is_disabled: true } }))
    .message_id;
}

const emptyStats = (): SendStats => ({
  sent: 0,
  failed: 0,
  dropped: 0,
  cancelled: 0,
  uncertain: 0,
  retried: 0,
  rateLimited: 0,
  expired: 0,
  waiting: 0,
});

/**
 * The only part of Lifelong that sends proactive messages. It delivers due outbox rows in due
 * order at Telegram's pace (concurrently across chats, spaced within a chat), records each
 * result, and never sends a key twice beyond the policy above: a row is claimed (pending →
 * sending) right before its request, and a row found still 'sending' at startup — the process
 * died mid-request — is treated as uncertain.
 */
export function createSender(deps: SenderDeps): Sender {
  const { db, clock, logger } = deps;
  const secrets = [deps.api.token];
  const options = deps.api.options ?? {};
  const api = new Api(deps.api.token, {
    ...options,
    fetch: options.fetch ?? (createTelegramFetch() as never),
    timeoutSeconds: options.timeoutSeconds ?? REQUEST_TIMEOUT_S,
  });
  const st = prepareSender(db);
  const pacer = deps.pacer ?? new Pacer({ ...TELEGRAM_PACE, ...deps.pace });
  const backoff = deps.backoffMs ?? defaultBackoff;
  const concurrency = deps.concurrency ?? 64;
  const outcome = (o: SendOutcomeName): void => deps.onOutcome?.(o);
  let recovered = false;
  let running: Promise<void> | undefined;
  let stopping = false;
  let wakeUp: (() => void) | undefined;

  /** Uncertain: once more if the kind allows and it was not already, else left for an operator. */
  const settleUncertain = (row: Row, error: string, stats: SendStats, attempts: number): void => {
    const now = clock.now();
    if (policyFor(row.template).resendUncertain && row.resent === 0) {
      const next = new Date(now.getTime() + backoff(attempts)).toISOString();
      st.resend.run(next, `${error} (may have arrived; sent once more)`, row.id);
    } else st.finish.run("uncertain", error, row.id);
    stats.uncertain += 1;
    outcome("uncertain");
  };

  const recover = (stats: SendStats): void => {
    if (recovered) return;
    recovered = true;
    const rows = st.interrupted.all();
    for (const row of rows) settleUncertain(row, "interrupted while sending", stats, row.attempts);
    if (rows.length > 0)
      logger.warn({ uncertain: rows.length }, "outbox rows were being sent when the process stopped");
  };

  const expireDue = (stats: SendStats): void => {
    const n = st.expire.all(clock.now().toISOString()).length;
    for (let i = 0; i < n; i++) outcome("expired");
    stats.expired += n;
    if (n > 0) logger.warn({ expired: n }, "outbox rows passed their deadline unsent");
  };

  /** Claims, renders, sends and records one row. Returns the row when it must go back in the queue. */
  async function deliver(row: Row, stats: SendStats): Promise<Row | undefined> {
    const claimed = st.claim.get(row.id);
    if (!claimed) return undefined; // another sender or a cancellation got there first
    const nowIso = clock.now().toISOString();
    const finish = (state: "failed" | "dropped" | "cancelled", error: string | null): undefined => {
      st.finish.run(state, error, row.id);
      stats[state] += 1;
      if (state === "failed") outcome("failed");
      return undefined;
    };
    if (row.deadline <= nowIso) {
      st.expireOne.run(row.id);
      stats.expired += 1;
      outcome("expired");
      return undefined;
    }
    if (st.unreachable.get(row.chat_id)?.unreachable_at) return finish("cancelled", "recipient unreachable");
    if (st.chatWaiting.get(row.chat_id, row.id)) {
      st.wait.run("waits for the person to open the chat", 1, row.id);
      stats.waiting += 1;
      return undefined;
    }
    let messages: RenderedMessage[] | null;
    try {
      messages = await renderRow(deps, row, clock.now());
    } catch (err) {
      logger.error({ err, key: row.key }, "outbox template failed");
      return finish("failed", `render: ${redactedError(err, secrets)}`);
    }
    if (!messages) return finish("dropped", null);

    let firstId = row.message_id ?? undefined;
    for (let i = Math.min(row.parts_sent, messages.length - 1); i < messages.length; ) {
      if (i > row.parts_sent) {
        await sleep(pacer.chatWait(row.chat_id));
        await pacer.acquire();
      }
      pacer.markChat(row.chat_id);
      let result: SendOutcome;
      try {
        const id = await sendOne(api, row.chat_id, messages[i] as RenderedMessage);
        result = { kind: "sent", messageId: id };
      } catch (err) {
        result = classifySendError(err, secrets);
      }
      if (result.kind === "sent") {
        firstId ??= result.messageId;
        i += 1;
        if (i < messages.length) st.part.run(i, firstId, row.id);
        continue;
      }
      if (result.kind === "rateLimited") {
        stats.rateLimited += 1;
        outcome("rate_limited");
        pacer.pause(result.retryAfterS * 1000);
        logger.warn({ retry_after: result.retryAfterS, chat: row.chat_id }, "telegram asked to slow down");
        // Nothing more of this row went out: it is safely pending again and rejoins its chat's queue.
        st.unclaim.run(row.id);
        return { ...row, parts_sent: i, message_id: firstId ?? null };
      }
      const sentPart = i > 0 ? ` (after ${i} of ${messages.length} parts were sent)` : "";
      if (result.kind === "blocked") {
        const at = clock.now().toISOString();
        db.transaction(() => {
          st.markUnreachable.run(at, row.chat_id);
          finish("failed", result.error + sentPart);
          stats.cancelled += st.cancelChat.run(row.chat_id).changes;
        })();
        outcome("blocked");
        logger.info({ chat: row.chat_id }, "recipient blocked the bot; their pending messages are cancelled");
        return undefined;
      }
      if (result.kind === "notStarted") {
        st.wait.run(`never opened the chat: ${result.error}`, 0, row.id);
        stats.waiting += 1;
        outcome("blocked");
        logger.info({ chat: row.chat_id }, "recipient never opened the chat; their messages wait");
        return undefined;
      }
      if (result.kind === "rejected") return finish("failed", result.error + sentPart);
      if (result.kind === "retry") {
        const next = new Date(clock.now().getTime() + backoff(claimed.attempts)).toISOString();
        st.later.run(next, result.error + sentPart, row.id);
        stats.retried += 1;
        outcome("retried");
        logger.warn({ key: row.key, err: result.error, next }, "not delivered; will try again");
        return undefined;
      }
      settleUncertain(row, result.error + sentPart, stats, claimed.attempts);
      return undefined;
    }
    st.sent.run(firstId ?? 0, clock.now().toISOString(), row.id);
    stats.sent += 1;
    outcome("sent");
    return undefined;
  }

  async function drainOnce(): Promise<SendStats> {
    const stats = emptyStats();
    recover(stats);
    expireDue(stats);
    const nowIso = clock.now().toISOString();
    await dispatchPaced<Row>({
      pacer,
      concurrency,
      stopped: () => stopping,
      fetch: (after, limit) => st.due.all(nowIso, nowIso, after.due, after.due, after.id, limit),
      deliver: (row) => deliver(row, stats),
      onError: (err, row) => logger.error({ err, key: row.key }, "outbox delivery crashed"),
    });
    return stats;
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      try {
        const stats = await drainOnce();
        if (stats.sent + stats.failed + stats.uncertain + stats.expired > 0)
          logger.info({ ...stats }, "outbox drained");
      } catch (err) {
        logger.error({ err }, "outbox drain failed");
      }
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deps.pollMs ?? 1000);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = undefined;
    }
  }

  return {
    start() {
      if (running) return;
      stopping = false;
      running = loop();
    },
    async stop() {
      stopping = true;
      wakeUp?.();
      await running;
      running = undefined;
    },
    drainOnce,
    wake: () => wakeUp?.(),
  };
}
