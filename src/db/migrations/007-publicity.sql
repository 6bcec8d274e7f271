-- How people find the bot: one row each time someone opens a deep link from a poster's QR code,
-- a card shared into a chat, the school's channel or the public page. user_id goes when the
-- person asks to be forgotten; the row stays, anonymous, and still counts as a visit.
CREATE TABLE arrivals (
  id       INTEGER PRIMARY KEY,
  user_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  source   TEXT NOT NULL CHECK (source IN ('poster', 'share', 'channel', 'page', 'other')),
  target   TEXT NOT NULL,
  is_new   INTEGER NOT NULL CHECK (is_new IN (0, 1)),
  at       TEXT NOT NULL
);
CREATE INDEX arrivals_at ON arrivals (at);
CREATE INDEX arrivals_user ON arrivals (user_id, at);
