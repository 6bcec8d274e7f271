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

-- The school's channel feed: what is planned, previewed to staff, queued, skipped or sent.
-- key: open:<course> · week:<monday> · soon:<session> · after:<session>. The outbox row of a
-- post is keyed channel:<key>.
CREATE TABLE channel_posts (
  key         TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('open', 'week', 'soon', 'after')),
  course_id   INTEGER REFERENCES courses (id) ON DELETE CASCADE,
  session_id  INTEGER REFERENCES sessions (id) ON DELETE CASCADE,
  post_at     TEXT NOT NULL,
  deadline    TEXT NOT NULL,
  state       TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'queued', 'skipped', 'sent', 'expired')),
  created_at  TEXT NOT NULL
);
CREATE INDEX channel_posts_state ON channel_posts (state, post_at);

-- One row: when the feed first ran (courses open before that are not news), and, while the
-- channel cannot be reached (the bot was removed as admin), since when; the feed then holds its
-- posts until an admin says to try again.
CREATE TABLE channel_feed_state (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  started_at  TEXT NOT NULL,
  paused_at   TEXT,
  reason      TEXT
);
