import type { Db } from "../db/connection.ts";

/** An outbox row as the sender works on it. */
export interface Row {
  id: number;
  key: string;
  chat_id: number;
  template: string;
  params: string;
  due_at: string;
  /** deadline_at, or a day after due_at for rows written without one. */
  deadline: string;
  attempts: number;
  /** Parts of a message in several parts that Telegram already took. */
  parts_sent: number;
  /** The first part's message id, once it was sent. */
  message_id: number | null;
  /** 1 once the row was sent again after an uncertain try. */
  resent: number;
}

const DEADLINE = "COALESCE(deadline_at, strftime('%Y-%m-%dT%H:%M:%fZ', due_at, '+1 day'))";
const COLUMNS = `id, key, chat_id, template, params, due_at, ${DEADLINE} AS deadline, attempts, parts_sent, message_id, resent`;

/** The sender's statements, prepared once per database. */
export function prepareSender(db: Db) {
  return {
    interrupted: db.prepare<[], Row>(`SELECT ${COLUMNS} FROM outbox WHERE state = 'sending'`),
    expire: db.prepare<[string], { id: number }>(
      `UPDATE outbox SET state = 'expired',
         last_error = 'not sent by its deadline ' || ${DEADLINE} || ' after ' || attempts || ' attempt(s)'
           || COALESCE('; last: ' || last_error, '')
       WHERE state IN ('pending', 'waiting') AND ${DEADLINE} <= ? RETURNING id`,
    ),
    expireOne: db.prepare<[number]>(
      `UPDATE outbox SET state = 'expired', attempts = attempts - 1,
         last_error = 'not sent by its deadline ' || ${DEADLINE} || COALESCE('; last: ' || last_error, '')
       WHERE id = ?`,
    ),
    due: db.prepare<[string, string, string, string, number, number], Row>(
      `SELECT ${COLUMNS} FROM outbox
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
    chatWaiting: db.prepare<[number, number]>(
      "SELECT 1 FROM outbox WHERE chat_id = ? AND state = 'waiting' AND id <> ? LIMIT 1",
    ),
    /** Held for someone who never opened the chat; the claim's attempt is given back when no request was made. */
    wait: db.prepare<[string, number, number]>(
      "UPDATE outbox SET state = 'waiting', last_error = ?, attempts = attempts - ?, next_attempt_at = NULL WHERE id = ?",
    ),
    sent: db.prepare<[number, string, number]>(
      "UPDATE outbox SET state = 'sent', message_id = ?, sent_at = ?, last_error = NULL WHERE id = ?",
    ),
    part: db.prepare<[number, number | null, number]>(
      "UPDATE outbox SET parts_sent = ?, message_id = ? WHERE id = ?",
    ),
    finish: db.prepare<[string, string | null, number]>(
      "UPDATE outbox SET state = ?, last_error = ? WHERE id = ?",
    ),
    resend: db.prepare<[string, string, number]>(
      "UPDATE outbox SET state = 'pending', resent = resent + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
    ),
    unclaim: db.prepare<[number]>(
      "UPDATE outbox SET state = 'pending', attempts = attempts - 1 WHERE id = ? AND state = 'sending'",
    ),
    later: db.prepare<[string, string, number]>(
      "UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'sending'",
    ),
    markUnreachable: db.prepare<[string, number]>("UPDATE users SET unreachable_at = ? WHERE id = ?"),
    cancelChat: db.prepare<[number]>(
      "UPDATE outbox SET state = 'cancelled', last_error = 'recipient unreachable' WHERE chat_id = ? AND state IN ('pending', 'waiting')",
    ),
  };
}
