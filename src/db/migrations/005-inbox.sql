-- Incoming updates are written here before Telegram is told they arrived (the next getUpdates
-- offset, or the webhook's 200), handled from here, and marked once handled. A crash while an
-- update is handled leaves it unmarked, so the next start handles it again instead of losing it.
-- The update_id key also drops a second delivery of the same update.
CREATE TABLE inbox (
  update_id    INTEGER PRIMARY KEY,
  -- Updates of one chat are handled one after another, in update_id order.
  chat_key     TEXT,
  payload      TEXT NOT NULL,
  received_at  TEXT NOT NULL,
  -- Handling started this many times: an update that kills the process again and again is
  -- given up after a few tries instead of blocking its chat for ever.
  attempts     INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  handled_at   TEXT
);
CREATE INDEX inbox_unhandled ON inbox (update_id) WHERE handled_at IS NULL;
CREATE INDEX inbox_handled_at ON inbox (handled_at) WHERE handled_at IS NOT NULL;

-- Ids already handled stay known, so Telegram sending them again changes nothing.
INSERT INTO inbox (update_id, chat_key, payload, received_at, handled_at)
SELECT update_id, NULL, '{}', at, at FROM processed_updates;
DROP TABLE processed_updates;
