import { preparedFor } from "../db/connection.ts";
import type { Db } from "../db/connection.ts";

/** What a domain decision hands to the outbox; rendered at send time in the recipient's language. */
export interface OutboxMessage {
  /** Unique for the message's lifetime, e.g. `reminder:<session>:<person>:24h`. A second enqueue is a no-op. */
  key: string;
  chatId: number;
  /** A key in the template registry (src/messages/index.ts). */
  template: string;
  params?: Record<string, unknown>;
  dueAt: Date;
}

const insert = preparedFor((db: Db) =>
  db.prepare<[string, number, string, string, string, string]>(
    `INSERT INTO outbox (key, chat_id, template, params, due_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
  ),
);

/**
 * Writes an outbox row. Call it inside the transaction that made the decision, so the message
 * exists exactly when the decision does. Returns false when the key was already there.
 */
export function enqueue(db: Db, message: OutboxMessage, now: Date): boolean {
  const result = insert(db).run(
    message.key,
    message.chatId,
    message.template,
    JSON.stringify(message.params ?? {}),
    message.dueAt.toISOString(),
    now.toISOString(),
  );
  return result.changes === 1;
}

/** Cancels messages not yet sent whose key starts with `prefix` (e.g. a moved session's reminders). */
export function cancelPending(db: Db, keyPrefix: string): number {
  return db
    .prepare("UPDATE outbox SET state = 'cancelled' WHERE state = 'pending' AND key >= ? AND key < ?")
    .run(keyPrefix, `${keyPrefix}\uffff`).changes;
}
