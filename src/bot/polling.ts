import type { Update } from "grammy/types";
import type { Clock } from "../clock.ts";
import type { Db } from "../db/connection.ts";
import type { Logger } from "../logger.ts";
import type { Dispatcher } from "./inbox.ts";
import { storeUpdates } from "./inbox.ts";

/** First wait after a failed getUpdates; it doubles on each further failure, up to the cap. */
export const POLL_RETRY_MIN_MS = 250;
/**
 * The longest wait between two getUpdates while Telegram is unreachable. The bot answers again
 * at most this long (plus one request) after Telegram is back.
 */
export const POLL_RETRY_MAX_MS = 3000;

export interface PollingOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  dispatcher: Dispatcher;
  /**
   * One getUpdates call. It must not retry by itself (grammY's auto-retry would wait up to an
   * hour between tries), so give it an Api without transformers.
   */
  getUpdates: (
    params: { offset?: number; limit: number; timeout: number; allowed_updates: string[] },
    signal: AbortSignal,
  ) => Promise<Update[]>;
  allowedUpdates: string[];
  /** Long-poll timeout in seconds (Telegram holds the request this long when idle). */
  timeoutSeconds?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
}

export interface Polling {
  /** Ends the long poll in progress and stops asking. */
  stop(): Promise<void>;
  isRunning(): boolean;
}

/** A token-free description of a failed request, for the log. */
function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/bot\d+:[\w-]+/g, "bot<token>");
}

/**
 * Long polling into the durable inbox. Each batch of updates is written to SQLite before the
 * next getUpdates confirms it to Telegram (its offset is one past the batch), so an update the
 * process dies on is still stored. The first call sends no offset: Telegram resends whatever it
 * holds, and the inbox drops what it already has.
 *
 * While Telegram cannot be reached the wait between tries grows from `retryMinMs` to at most
 * `retryMaxMs`; one warning is logged when an outage starts and one line when it ends.
 */
export function startPolling(options: PollingOptions): Polling {
  const { db, clock, logger, dispatcher, getUpdates, allowedUpdates } = options;
  const timeout = options.timeoutSeconds ?? 30;
  const minMs = options.retryMinMs ?? POLL_RETRY_MIN_MS;
  const maxMs = options.retryMaxMs ?? POLL_RETRY_MAX_MS;
  const controller = new AbortController();
  let running = true;
  let wakeSleep: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = async () => {
    let offset: number | undefined;
    let outage: { since: number; tries: number } | undefined;
    let delay = minMs;
    while (running) {
      let updates: Update[];
      try {
        updates = await getUpdates(
          {
            ...(offset === undefined ? {} : { offset }),
            limit: 100,
            timeout,
            allowed_updates: allowedUpdates,
          },
          controller.signal,
        );
      } catch (err) {
        if (!running) break;
        if (!outage) {
          outage = { since: Date.now(), tries: 0 };
          logger.warn(
            { error: describe(err) },
            "cannot reach Telegram for updates; retrying until it answers",
          );
        }
        outage.tries++;
        await sleep(delay);
        delay = Math.min(maxMs, delay * 2);
        continue;
      }
      if (outage) {
        logger.info({ ms: Date.now() - outage.since, tries: outage.tries }, "Telegram reachable again");
        outage = undefined;
        delay = minMs;
      }
      if (updates.length === 0) continue;
      try {
        // Stored before the next call's offset confirms them: the point of the inbox.
        storeUpdates(db, updates, clock.now());
      } catch (err) {
        // Not stored, so not confirmed: the next call (same offset) gets them again.
        logger.error({ err }, "could not store updates");
        await sleep(maxMs);
        continue;
      }
      offset = Math.max(...updates.map((u) => u.update_id)) + 1;
      dispatcher.wake();
    }
  };

  const done = loop().catch((err: unknown) => logger.error({ err }, "polling stopped by an error"));
  return {
    isRunning: () => running,
    async stop() {
      if (!running) return done;
      running = false;
      controller.abort();
      wakeSleep?.();
      await done;
    },
  };
}
