import { Api, GrammyError, HttpError, InputFile } from "grammy";
import type { i18n as I18n } from "i18next";
import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/connection.ts";
import type { Logger } from "../logger.ts";
import type { PaceOptions } from "./pacer.ts";
import { dispatchPaced, Pacer, sleep, TELEGRAM_PACE } from "./pacer.ts";
import { renderRow } from "./render.ts";
import type { RenderedMessage, Template } from "./templates/types.ts";

export interface SenderDeps {
  db: Db;
  /**
   * Where to send: token and client options (apiRoot, fetch) are taken from this Api, but its
   * transformers are not. The sender obeys 429s itself, for all chats at once, and must never
   * let auto-retry resend a request that may have gone through.
   */
  api: Api;
  i18n: I18n;
  config: Config;
  clock: Clock;
  logger: Logger;
  templates: Record<string, Template>;
  pace?: Partial<PaceOptions>;
  /** Network failures before a row is given up as failed. Default 5. */
  maxAttempts?: number;
  /** Delay before retry n (1-based) after a network failure. Default 2^n s, at most 5 min. */
  backoffMs?: (attempt: number) => number;
  /** Idle time between polls of the outbox in start(). Default 1000 ms. */
  pollMs?: number;
  /** Sends in flight at once across chats. Default 64. */
  concurrency?: number;
  onOutcome?: (
    outcome: "sent" | "retried" | "rate_limited" | "blocked" | "expired" | "uncertain" | "failed",
  ) => void;
}

export interface SendStats {
  sent: number;
  failed: number;
  dropped: number;
  cancelled: number;
  uncertain: number;
  /** Rows put back for a later attempt (network failure). */
  retried: number;
  /** 429 answers obeyed. */
  rateLimited: number;
}

export interface Sender {
  start(): void;
  stop(): Promise<void>;
  /** Sends every row due now, at Telegram's pace, and resolves when they are all settled. */
  drainOnce(): Promise<SendStats>;
  /** Ends start()'s idle wait early (new rows were enqueued). */
  wake(): void;
}

interface Row {
  id: number;
  key: string;
  chat_id: number;
  template: string;
  params: string;
  due_at: string;
}

/** Connection failures that prove the request never reached Telegram, so a retry cannot duplicate. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
]);

type Outcome =
  | { kind: "sent"; messageId: number }
  | { kind: "rateLimited"; retryAfterS: number }
  | { kind: "blocked"; error: string }
  | { kind: "rejected"; error: string }
  | { kind: "retry"; error: string }
  | { kind: "uncertain"; error: string };

function classify(err: unknown): Outcome {
  if (err instanceof GrammyError) {
    const code = err.error_code;
    if (code === 429) return { kind: "rateLimited", retryAfterS: err.parameters.retry_after ?? 1 };
    if (code === 403) return { kind: "blocked", error: err.description };
    // A wrong token or API root is our fault, not the message's: keep the row for later.
    if (code === 401 || code === 404 || code >= 500) return { kind: "retry", error: err.description };
    return { kind: "rejected", error: err.description };
  }
  if (err instanceof HttpError) {
    const cause = err.error as { code?: string; message?: string } | undefined;
    const detail = `${err.message}${cause?.code ? ` (${cause.code})` : cause?.message ? ` (${cause.message})` : ""}`;
    if (cause?.code && NOT_SENT_CODES.has(cause.code)) return { kind: "retry", error: detail };
    // A timeout or a reset after the request went out: Telegram may have delivered it.
    return { kind: "uncertain", error: detail };
  }
  return { kind: "uncertain", error: err instanceof Error ? err.message : String(err) };
}

function prepare(db: Db) {
  return {
    recover: db.prepare(
      "UPDATE outbox SET state = 'uncertain', last_error = COALESCE(last_error, 'interrupted while sending') WHERE state = 'sending'",
    ),
    due: db.prepare<[string, string, string, string, number, number], Row>(
      `SELECT id, key, chat_id, template, params, due_at FROM outbox
       WHERE state = 'pending' AND due_at <= ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
         AND (due_at > ? OR (due_at = ? AND id > ?))
       ORDER BY due_at, id LIMIT ?`,
    ),
    claim: db.prepare<[number], { attempts: number }>(
      "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ? AND state = 'pending' RETURNING attempts",
    ),
    unreachable: db.prepare<[number], { unreachable_at: string | null }>(
      "SELECT unreachable_at FROM users WHERE id = ?",
    ),
    sent: db.prepare<[number, string, number]>(
      "UPDATE outbox SET state = 'sent', message_id = ?, sent_at = ?, last_error = NULL WHERE id = ?",
    ),
    finish: db.prepare<[string, string | null, number]>(
      "UPDATE outbox SET state = ?, last_error = ? WHERE id = ?",
    ),
    unclaim: db.prepare<[number]>(
      "UPDATE outbox SET state = 'pending', attempts = attempts - 1 WHERE id = ? AND state = 'sending'",
    ),
    later: db.prepare<[string, string, number]>(
      "UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'sending'",
    ),
    markUnreachable: db.prepare<[string, number]>("UPDATE users SET unreachable_at = ? WHERE id = ?"),
    cancelChat: db.prepare<[number]>(
      "UPDATE outbox SET state = 'cancelled', last_error = 'recipient unreachable' WHERE chat_id = ? AND state = 'pending'",
    ),
  };
}

const defaultBackoff = (attempt: number): number => Math.min(300_000, 1000 * 2 ** attempt);

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

/**
 * The only part of Lifelong that sends proactive messages. It delivers due outbox rows in due
 * order at Telegram's pace (concurrently across chats, spaced within a chat), records each
 * result, and never sends a key twice: a row is claimed (pending → sending) right before its
 * request, and a row found still 'sending' at startup — the process died mid-request — becomes
 * 'uncertain' instead of being sent again blindly.
 */
export function createSender(deps: SenderDeps): Sender {
  const { db, clock, logger } = deps;
  const api = new Api(deps.api.token, deps.api.options);
  const st = prepare(db);
  const pacer = new Pacer({ ...TELEGRAM_PACE, ...deps.pace });
  const maxAttempts = deps.maxAttempts ?? 5;
  const backoff = deps.backoffMs ?? defaultBackoff;
  const concurrency = deps.concurrency ?? 64;
  let recovered = false;
  let running: Promise<void> | undefined;
  let stopping = false;
  let wakeUp: (() => void) | undefined;

  const recover = (): void => {
    if (recovered) return;
    recovered = true;
    const n = st.recover.run().changes;
    if (n > 0)
      logger.warn({ uncertain: n }, "outbox rows were being sent when the process stopped; marked uncertain");
  };

  /** Claims, renders, sends and records one row. Returns the row when it must go back in the queue. */
  async function deliver(row: Row, stats: SendStats): Promise<Row | undefined> {
    const claimed = st.claim.get(row.id);
    if (!claimed) return undefined; // another sender or a cancellation got there first
    const finish = (
      state: "failed" | "dropped" | "cancelled" | "uncertain",
      error: string | null,
    ): undefined => {
      st.finish.run(state, error, row.id);
      stats[state] += 1;
      if (state === "failed" || state === "uncertain") deps.onOutcome?.(state);
      return undefined;
    };
    if (st.unreachable.get(row.chat_id)?.unreachable_at) return finish("cancelled", "recipient unreachable");
    let messages: RenderedMessage[] | null;
    try {
      messages = await renderRow(deps, row, clock.now());
    } catch (err) {
      logger.error({ err, key: row.key }, "outbox template failed");
      return finish("failed", `render: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!messages) return finish("dropped", null);

    let firstId: number | undefined;
    for (let i = 0; i < messages.length; ) {
      if (i > 0) {
        await sleep(pacer.chatWait(row.chat_id));
        await pacer.acquire();
      }
      pacer.markChat(row.chat_id);
      let outcome: Outcome;
      try {
        const id = await sendOne(api, row.chat_id, messages[i] as RenderedMessage);
        outcome = { kind: "sent", messageId: id };
      } catch (err) {
        outcome = classify(err);
      }
      if (outcome.kind === "sent") {
        firstId ??= outcome.messageId;
        i += 1;
        continue;
      }
      if (outcome.kind === "rateLimited") {
        stats.rateLimited += 1;
        deps.onOutcome?.("rate_limited");
        pacer.pause(outcome.retryAfterS * 1000);
        logger.warn({ retry_after: outcome.retryAfterS, chat: row.chat_id }, "telegram asked to slow down");
        // Nothing of this row went out yet: it is safely pending again and rejoins its chat's queue.
        if (i === 0) {
          st.unclaim.run(row.id);
          return row;
        }
        await sleep(pacer.globalWait());
        continue;
      }
      const sentPart = i > 0 ? ` (after ${i} of ${messages.length} parts were sent)` : "";
      if (outcome.kind === "blocked") {
        const at = clock.now().toISOString();
        db.transaction(() => {
          st.markUnreachable.run(at, row.chat_id);
          st.finish.run("failed", outcome.error + sentPart, row.id);
          stats.failed += 1;
          stats.cancelled += st.cancelChat.run(row.chat_id).changes;
        })();
        deps.onOutcome?.("blocked");
        logger.info({ chat: row.chat_id }, "recipient blocked the bot; their pending messages are cancelled");
        return undefined;
      }
      if (outcome.kind === "rejected") return finish("failed", outcome.error + sentPart);
      if (outcome.kind === "retry" && i === 0) {
        if (claimed.attempts >= maxAttempts)
          return finish("failed", `${outcome.error} (after ${claimed.attempts} attempts)`);
        const next = new Date(clock.now().getTime() + backoff(claimed.attempts)).toISOString();
        st.later.run(next, outcome.error, row.id);
        stats.retried += 1;
        deps.onOutcome?.("retried");
        logger.warn({ key: row.key, err: outcome.error, next }, "send failed; will retry");
        return undefined;
      }
      return finish("uncertain", outcome.error + sentPart);
    }
    st.sent.run(firstId ?? 0, clock.now().toISOString(), row.id);
    stats.sent += 1;
    deps.onOutcome?.("sent");
    return undefined;
  }

  async function drainOnce(): Promise<SendStats> {
    recover();
    const stats: SendStats = {
      sent: 0,
      failed: 0,
      dropped: 0,
      cancelled: 0,
      uncertain: 0,
      retried: 0,
      rateLimited: 0,
    };
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
        if (stats.sent + stats.failed + stats.uncertain > 0) logger.info({ ...stats }, "outbox drained");
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
