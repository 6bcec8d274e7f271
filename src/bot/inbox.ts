import type { Update } from "grammy/types";
import type { Clock } from "../clock.ts";
import type { Db } from "../db/connection.ts";
import { preparedFor } from "../db/connection.ts";
import type { Logger } from "../logger.ts";

/**
 * The durable inbox. An update is written to SQLite before Telegram is told it arrived (the
 * next getUpdates offset, or the webhook's 200), then handled from here and marked handled
 * right after its handler returns. A crash between "stored" and "marked" leaves the update to
 * be handled again at the next start: at least once, never lost. Handlers bear a second run
 * (enrolments and outbox keys are unique in the schema; a callback re-reads the current state).
 */

/** An update that killed the process this many times is given up (logged) rather than retried for ever. */
export const MAX_ATTEMPTS = 3;

const stmts = preparedFor((db) => ({
  insert: db.prepare(
    "INSERT INTO inbox (update_id, chat_key, payload, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
  ),
  pending: db.prepare(
    "SELECT update_id, chat_key, payload, attempts FROM inbox WHERE handled_at IS NULL ORDER BY update_id LIMIT ?",
  ),
  started: db.prepare("UPDATE inbox SET attempts = attempts + 1 WHERE update_id = ?"),
  handled: db.prepare("UPDATE inbox SET handled_at = ? WHERE update_id = ? AND handled_at IS NULL"),
  unhandled: db.prepare("SELECT count(*) FROM inbox WHERE handled_at IS NULL").pluck(),
}));

/** The chat whose updates must run in order: the chat, else the person (an inline query has no chat). */
export function chatKeyOf(update: Update): string | null {
  for (const [key, value] of Object.entries(update)) {
    if (key === "update_id" || typeof value !== "object" || value === null) continue;
    const v = value as {
      chat?: { id?: number };
      message?: { chat?: { id?: number } };
      from?: { id?: number };
    };
    const id = v.chat?.id ?? v.message?.chat?.id ?? v.from?.id;
    return id === undefined ? null : String(id);
  }
  return null;
}

/**
 * Writes updates down in one transaction; an update already known (handled or not) is left as
 * it is. Returns how many were new. Only after this returns may Telegram be told they arrived.
 */
export function storeUpdates(db: Db, updates: readonly Update[], now: Date): number {
  if (updates.length === 0) return 0;
  const { insert } = stmts(db);
  const at = now.toISOString();
  return db.transaction(() => {
    let added = 0;
    for (const u of updates) added += insert.run(u.update_id, chatKeyOf(u), JSON.stringify(u), at).changes;
    return added;
  })();
}

/** Marks an update handled; marking twice changes nothing. */
export function markHandled(db: Db, updateId: number, now: Date): void {
  stmts(db).handled.run(now.toISOString(), updateId);
}

/** How many stored updates are not handled yet. */
export function unhandledCount(db: Db): number {
  return stmts(db).unhandled.get() as number;
}

interface PendingRow {
  update_id: number;
  chat_key: string | null;
  payload: string;
  attempts: number;
}

export interface DispatcherOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Handles one update (the bot's handleUpdate). */
  handle: (update: Update) => Promise<void>;
  /** Updates handled at once, each chat's one after another. */
  concurrency: number;
  /** An update still running after this is logged and stops counting against `concurrency`. */
  timeoutMs?: number;
}

export interface Dispatcher {
  /** Looks for stored updates to handle (after storing new ones, and once at start). */
  wake(): void;
  /** Updates being handled now. */
  readonly size: number;
  /** Resolves when nothing is stored unhandled and nothing runs (tests). */
  idle(): Promise<void>;
  /** Starts nothing new and waits up to `waitMs` for the updates in flight. */
  stop(waitMs?: number): Promise<void>;
}

/**
 * Handles the inbox's updates in update_id order, `concurrency` at a time, one at a time per
 * chat: a later update of a chat waits until the chat's earlier one is done.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { db, clock, logger, handle, concurrency } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const running = new Map<number, Promise<void>>();
  const busyChats = new Set<string>();
  /** Updates past the timeout: still running, no longer holding a slot. */
  const overdue = new Set<number>();
  let stopped = false;
  let scheduled = false;
  let idleWaiters: (() => void)[] = [];

  const slotsUsed = () => running.size - overdue.size;

  const checkIdle = () => {
    if (running.size > 0 || idleWaiters.length === 0) return;
    if (!stopped && unhandledCount(db) > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  const start = (row: PendingRow) => {
    const { update_id: id } = row;
    const key = row.chat_key;
    if (row.attempts >= MAX_ATTEMPTS) {
      logger.error(
        { update_id: id, attempts: row.attempts },
        "update given up: handling it ended the process each time",
      );
      markHandled(db, id, clock.now());
      return;
    }
    stmts(db).started.run(id);
    if (key !== null) busyChats.add(key);
    const timer = setTimeout(() => {
      overdue.add(id);
      logger.error({ update_id: id, ms: timeoutMs }, "update still running");
      pump();
    }, timeoutMs);
    timer.unref();
    const work = (async () => {
      try {
        await handle(JSON.parse(row.payload) as Update);
      } catch (err) {
        // The bot's error boundary answers the person; what reaches here failed outside it.
        logger.error({ err, update_id: id }, "update failed");
      } finally {
        clearTimeout(timer);
        if (db.open) markHandled(db, id, clock.now());
        running.delete(id);
        overdue.delete(id);
        if (key !== null) busyChats.delete(key);
        pump();
        checkIdle();
      }
    })();
    running.set(id, work);
  };

  const pump = () => {
    if (stopped || scheduled) return;
    scheduled = true;
    // Batched: many stores or finishes in one tick make one query.
    setImmediate(() => {
      scheduled = false;
      if (stopped || !db.open) return;
      const free = concurrency - slotsUsed();
      if (free <= 0) return;
      // Enough rows to see past the chats that are busy.
      const rows = stmts(db).pending.all(Math.max(100, running.size + concurrency * 4)) as PendingRow[];
      const waiting = new Set<string>();
      let started = 0;
      for (const row of rows) {
        if (started >= free) break;
        if (running.has(row.update_id)) continue;
        const key = row.chat_key;
        if (key !== null && (busyChats.has(key) || waiting.has(key))) {
          waiting.add(key);
          continue;
        }
        start(row);
        started++;
      }
      checkIdle();
    });
  };

  return {
    wake: pump,
    get size() {
      return running.size;
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        pump();
        checkIdle();
      });
    },
    async stop(waitMs = 5000) {
      stopped = true;
      const all = Promise.allSettled([...running.values()]);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([all, new Promise((r) => (timer = setTimeout(r, waitMs)))]);
      clearTimeout(timer);
      checkIdle();
    },
  };
}
