import { preparedFor } from "../db/connection.ts";
import type { Db } from "../db/connection.ts";
import { deliveryDeadline } from "./delivery-policy.ts";

/** What a domain decision hands to the outbox; rendered at send time in the recipient's language. */
export interface OutboxMessage {
  /** Unique for the message's lifetime, e.g. `reminder:<session>:<person>:24h`. A second enqueue is a no-op. */
  key: string;
  chatId: number;
  /** A key in the template registry (src/messages/index.ts). */
  template: string;
  params?: Record<string, unknown>;
  dueAt: Date;
  /** Past this it is never sent (state `expired`). Default: the template's delivery policy. */
  deadline?: Date;
}

const insert = preparedFor((db: Db) =>
  db.prepare<[string, number, string, string, string, string, string]>(
    `INSERT INTO outbox (key, chat_id, template, params, due_at, deadline_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
  ),
);

/**
 * Writes an outbox row. Call it inside the transaction that made the decision, so the message
 * exists exactly when the decision does. Returns false when the key was already there.
 */
export function enqueue(db: Db, message: OutboxMessage, now: Date): boolean {
  const params = message.params ?? {};
  const deadline = message.deadline ?? deliveryDeadline(db, message.template, params, message.dueAt);
  const result = insert(db).run(
    message.key,
    message.chatId,
    message.template,
    JSON.stringify(params),
    message.dueAt.toISOString(),
    deadline.toISOString(),
    now.toISOString(),
  );
  return result.changes === 1;
}

/**
 * The same message to each recipient, keyed `<keyPrefix>:<recipient>` (so each person gets it
 * once however often the decision is replayed). Returns how many rows were new.
 */
export function enqueueEach(
  db: Db,
  recipients: readonly number[],
  message: Omit<OutboxMessage, "key" | "chatId"> & { keyPrefix: string },
  now: Date,
): number {
  const { keyPrefix, ...rest } = message;
  let added = 0;
  for (const chatId of recipients)
    if (enqueue(db, { ...rest, key: `${keyPrefix}:${chatId}`, chatId }, now)) added++;
  return added;
}

/** Cancels messages not yet sent whose key starts with `prefix` (e.g. a moved session's reminders). */
export function cancelPending(db: Db, keyPrefix: string): number {
  return db
    .prepare("UPDATE outbox SET state = 'cancelled' WHERE state = 'pending' AND key >= ? AND key < ?")
    .run(keyPrefix, `${keyPrefix}\uffff`).changes;
}

const waiting = preparedFor((db: Db) => ({
  // The small index of waiting rows (migration 012), which the planner would pass over for
  // outbox_chat: both match, and it cannot tell that this one is nearly empty.
  any: db.prepare<[number]>(
    "SELECT 1 FROM outbox INDEXED BY outbox_waiting WHERE chat_id = ? AND state = 'waiting' LIMIT 1",
  ),
  release: db.prepare<[number]>(
    "UPDATE outbox SET state = 'pending', next_attempt_at = NULL WHERE chat_id = ? AND state = 'waiting'",
  ),
}));

/**
 * This person can be reached now (they wrote to the bot, pressed Start or a button): messages
 * that waited because they had never opened the chat go out, those still within their deadline
 * (the sender expires the others). Cheap when nothing waits: one indexed read.
 * Returns how many messages were released.
 */
export function markReachable(db: Db, chatId: number): number {
  const st = waiting(db);
  if (!st.any.get(chatId)) return 0;
  return st.release.run(chatId).changes;
}
