-- Delivery that survives outages. Every row gets a deadline past which it is 'expired' instead
-- of being sent late; a row for someone who never opened the chat is 'waiting' until they do;
-- parts_sent lets a message in several parts resume after the last part Telegram took; resent
-- counts rows sent a second time after an uncertain first try (see src/notify/sender.ts).
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt.
CREATE TABLE outbox_new (
  id               INTEGER PRIMARY KEY,
  key              TEXT NOT NULL UNIQUE,
  chat_id          INTEGER NOT NULL,
  template         TEXT NOT NULL,
  params           TEXT NOT NULL DEFAULT '{}',
  due_at           TEXT NOT NULL,
  -- NULL: a day after due_at.
  deadline_at      TEXT,
  state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled', 'uncertain', 'dropped', 'expired', 'waiting')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT,
  last_error       TEXT,
  message_id       INTEGER,
  parts_sent       INTEGER NOT NULL DEFAULT 0,
  resent           INTEGER NOT NULL DEFAULT 0,
  sent_at          TEXT,
  created_at       TEXT NOT NULL
);

-- Rows already queued keep going until a day after they fell due; a class reminder until its
-- class starts.
INSERT INTO outbox_new (id, key, chat_id, template, params, due_at, deadline_at, state, attempts,
                        next_attempt_at, last_error, message_id, sent_at, created_at)
SELECT id, key, chat_id, template, params, due_at,
       CASE WHEN template = 'notify.reminder' AND json_valid(params) AND json_extract(params, '$.startsAt') IS NOT NULL
            THEN strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(params, '$.startsAt'))
            ELSE strftime('%Y-%m-%dT%H:%M:%fZ', due_at, '+1 day') END,
       state, attempts, next_attempt_at, last_error, message_id, sent_at, created_at
FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (due_at) WHERE state = 'pending';
CREATE INDEX outbox_chat ON outbox (chat_id, state);
CREATE INDEX outbox_state ON outbox (state);

-- Network errors used to be stored with the request URL, which names the bot token. Keep the
-- reason, drop the URL.
UPDATE outbox SET last_error = 'network: ' || substr(last_error, instr(last_error, 'reason: ') + 8)
WHERE last_error LIKE '%/bot%' AND instr(last_error, 'reason: ') > 0;
UPDATE outbox SET last_error = 'network error (details removed: they named the bot token)'
WHERE last_error LIKE '%/bot%:%';
