-- The whole domain of Lifelong. Times are UTC ISO-8601 strings ("2026-03-02T01:00:00.000Z"),
-- so that text comparison orders them; the school's timezone is applied at the edges.

-- The three-level network: the district centre, community schools, partner schools.
CREATE TABLE sites (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL CHECK (kind IN ('centre', 'school', 'partner')),
  parent_id   INTEGER REFERENCES sites (id),
  name_zh     TEXT NOT NULL,
  name_en     TEXT NOT NULL,
  address_zh  TEXT NOT NULL DEFAULT '',
  address_en  TEXT NOT NULL DEFAULT '',
  residents   INTEGER NOT NULL DEFAULT 0 CHECK (residents >= 0)
);

CREATE TABLE venues (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  site_id     INTEGER NOT NULL REFERENCES sites (id),
  name_zh     TEXT NOT NULL,
  name_en     TEXT NOT NULL,
  address_zh  TEXT NOT NULL DEFAULT '',
  address_en  TEXT NOT NULL DEFAULT '',
  capacity    INTEGER CHECK (capacity IS NULL OR capacity > 0)
);
CREATE INDEX venues_site ON venues (site_id);

-- A Telegram account. id is the Telegram user id; the private chat has the same id.
CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  first_name     TEXT NOT NULL DEFAULT '',
  last_name      TEXT,
  username       TEXT,
  language_code  TEXT,
  locale         TEXT CHECK (locale IN ('zh', 'en')),
  phone          TEXT,
  news_opt_in    INTEGER NOT NULL DEFAULT 0 CHECK (news_opt_in IN (0, 1)),
  unreachable_at TEXT,
  created_at     TEXT NOT NULL,
  last_seen_at   TEXT
);

-- A participant: the account holder ("self") or a family member they look after.
-- account_id is NULL once the account asked to be forgotten: the row stays, anonymous,
-- so that yearly counts for reports do not change.
CREATE TABLE people (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  is_self     INTEGER NOT NULL DEFAULT 0 CHECK (is_self IN (0, 1)),
  name        TEXT NOT NULL,
  relation    TEXT NOT NULL CHECK (relation IN ('self', 'parent', 'child', 'spouse', 'grandparent', 'grandchild', 'sibling', 'other')),
  birth_year  INTEGER CHECK (birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100),
  created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX people_one_self ON people (account_id) WHERE is_self = 1;
CREATE INDEX people_account ON people (account_id);

-- admin: everything, everywhere. staff: site_id NULL = every site. teacher: of course_id.
CREATE TABLE roles (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role        TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'teacher')),
  site_id     INTEGER REFERENCES sites (id),
  course_id   INTEGER REFERENCES courses (id) ON DELETE CASCADE,
  granted_by  INTEGER,
  granted_at  TEXT NOT NULL,
  CHECK (role <> 'teacher' OR course_id IS NOT NULL)
);
CREATE UNIQUE INDEX roles_unique ON roles (user_id, role, IFNULL(site_id, 0), IFNULL(course_id, 0));

CREATE TABLE courses (
  id               INTEGER PRIMARY KEY,
  code             TEXT NOT NULL UNIQUE,
  kind             TEXT NOT NULL DEFAULT 'course' CHECK (kind IN ('course', 'lecture', 'event')),
  category         TEXT NOT NULL,
  site_id          INTEGER NOT NULL REFERENCES sites (id),
  venue_id         INTEGER REFERENCES venues (id),
  title_zh         TEXT NOT NULL,
  title_en         TEXT NOT NULL,
  description_zh   TEXT NOT NULL DEFAULT '',
  description_en   TEXT NOT NULL DEFAULT '',
  audiences        TEXT NOT NULL DEFAULT '[]',   -- JSON array of audience codes
  keywords         TEXT NOT NULL DEFAULT '',     -- extra search words, zh and en
  min_age          INTEGER CHECK (min_age IS NULL OR min_age >= 0),
  max_age          INTEGER CHECK (max_age IS NULL OR max_age >= 0),
  capacity         INTEGER NOT NULL CHECK (capacity >= 0),
  fee_cents        INTEGER NOT NULL DEFAULT 0 CHECK (fee_cents >= 0),
  teacher_name     TEXT NOT NULL DEFAULT '',
  teacher_user_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  health_related   INTEGER NOT NULL DEFAULT 0 CHECK (health_related IN (0, 1)),
  needs_phone      INTEGER NOT NULL DEFAULT 0 CHECK (needs_phone IN (0, 1)),
  enrol_opens_at   TEXT,
  enrol_closes_at  TEXT,
  status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('draft', 'open', 'closed', 'cancelled')),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  CHECK (min_age IS NULL OR max_age IS NULL OR min_age <= max_age)
);
CREATE INDEX courses_site ON courses (site_id);
CREATE INDEX courses_category ON courses (category);

CREATE TABLE sessions (
  id            INTEGER PRIMARY KEY,
  course_id     INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL CHECK (seq >= 1),
  starts_at     TEXT NOT NULL,
  ends_at       TEXT NOT NULL,
  venue_id      INTEGER REFERENCES venues (id),
  status        TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
  checkin_code  TEXT NOT NULL UNIQUE,
  note          TEXT,
  UNIQUE (course_id, seq),
  CHECK (starts_at < ends_at)
);
CREATE INDEX sessions_starts ON sessions (starts_at);
CREATE INDEX sessions_course_starts ON sessions (course_id, starts_at);

-- One row per participant per course, whatever happens to it (re-enrolling reuses it).
-- Seats taken = enrolled + offered. Waitlist order = waitlist_seq, strictly FIFO.
CREATE TABLE enrolments (
  id                INTEGER PRIMARY KEY,
  course_id         INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  person_id         INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  account_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
  status            TEXT NOT NULL CHECK (status IN ('enrolled', 'waitlisted', 'offered', 'cancelled')),
  waitlist_seq      INTEGER,
  offer_expires_at  TEXT,
  consent_at        TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  cancelled_at      TEXT,
  UNIQUE (course_id, person_id),
  CHECK (status <> 'offered' OR offer_expires_at IS NOT NULL)
);
CREATE INDEX enrolments_course_status ON enrolments (course_id, status, waitlist_seq);
CREATE INDEX enrolments_account ON enrolments (account_id);
CREATE INDEX enrolments_person ON enrolments (person_id);
CREATE INDEX enrolments_offers ON enrolments (offer_expires_at) WHERE status = 'offered';
CREATE INDEX enrolments_created ON enrolments (created_at);

CREATE TABLE attendance (
  session_id   INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  status       TEXT NOT NULL CHECK (status IN ('present', 'absent', 'excused')),
  source       TEXT NOT NULL CHECK (source IN ('checkin', 'staff', 'reminder')),
  recorded_at  TEXT NOT NULL,
  recorded_by  INTEGER,
  PRIMARY KEY (session_id, person_id)
) WITHOUT ROWID;
CREATE INDEX attendance_person ON attendance (person_id);

-- The "community education teacher library".
CREATE TABLE volunteers (
  user_id         INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  name            TEXT NOT NULL,
  phone           TEXT,
  skills          TEXT NOT NULL DEFAULT '[]',   -- JSON array of skill codes
  skills_note     TEXT NOT NULL DEFAULT '',
  availability    INTEGER NOT NULL DEFAULT 0,   -- bit (day * 3 + slot); day 0 = Monday, slot 0 morning, 1 afternoon, 2 evening
  languages       TEXT NOT NULL DEFAULT '[]',
  status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'paused', 'left')),
  consent_at      TEXT NOT NULL,
  decided_by      INTEGER,
  decided_at      TEXT,
  last_pinged_at  TEXT,
  created_at      TEXT NOT NULL
);
CREATE INDEX volunteers_status ON volunteers (status);

CREATE TABLE shifts (
  id             INTEGER PRIMARY KEY,
  code           TEXT UNIQUE,
  title_zh       TEXT NOT NULL,
  title_en       TEXT NOT NULL,
  site_id        INTEGER NOT NULL REFERENCES sites (id),
  venue_id       INTEGER REFERENCES venues (id),
  course_id      INTEGER REFERENCES courses (id) ON DELETE SET NULL,
  starts_at      TEXT NOT NULL,
  ends_at        TEXT NOT NULL,
  needed         INTEGER NOT NULL CHECK (needed >= 1),
  skills         TEXT NOT NULL DEFAULT '[]',
  status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'filled', 'cancelled')),
  checkin_code   TEXT NOT NULL UNIQUE,
  escalated_at   TEXT,
  created_by     INTEGER,
  created_at     TEXT NOT NULL,
  CHECK (starts_at < ends_at)
);
CREATE INDEX shifts_starts ON shifts (starts_at);

CREATE TABLE shift_assignments (
  id              INTEGER PRIMARY KEY,
  shift_id        INTEGER NOT NULL REFERENCES shifts (id) ON DELETE CASCADE,
  volunteer_id    INTEGER NOT NULL REFERENCES volunteers (user_id) ON DELETE CASCADE,
  status          TEXT NOT NULL CHECK (status IN ('pinged', 'accepted', 'declined', 'filled', 'withdrawn', 'cancelled')),
  pinged_at       TEXT NOT NULL,
  responded_at    TEXT,
  checked_in_at   TEXT,
  hours           REAL CHECK (hours IS NULL OR hours >= 0),
  hours_adjusted_by INTEGER,
  UNIQUE (shift_id, volunteer_id)
);
CREATE INDEX shift_assignments_volunteer ON shift_assignments (volunteer_id, status);

-- Ratings (once per participant per course), suggestions and problem reports.
CREATE TABLE feedback (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('rating', 'suggestion', 'problem')),
  course_id   INTEGER REFERENCES courses (id) ON DELETE CASCADE,
  person_id   INTEGER REFERENCES people (id) ON DELETE SET NULL,
  account_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  stars       INTEGER CHECK (stars IS NULL OR stars BETWEEN 1 AND 5),
  comment     TEXT,
  anonymous   INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
  created_at  TEXT NOT NULL,
  CHECK (kind <> 'rating' OR (stars IS NOT NULL AND course_id IS NOT NULL))
);
CREATE UNIQUE INDEX feedback_one_rating ON feedback (course_id, person_id) WHERE kind = 'rating';
CREATE INDEX feedback_course ON feedback (course_id, created_at);

CREATE TABLE wishes (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  topic       TEXT NOT NULL,              -- a category code, or 'other' for free text
  for_whom    TEXT,
  when_suits  TEXT,
  text        TEXT,
  created_at  TEXT NOT NULL,
  notified_course_id INTEGER REFERENCES courses (id) ON DELETE SET NULL
);
CREATE INDEX wishes_topic ON wishes (topic);

-- Topics whose wishes passed the threshold, so that staff are told once per crossing.
CREATE TABLE wish_alerts (
  topic       TEXT NOT NULL,
  threshold   INTEGER NOT NULL,
  alerted_at  TEXT NOT NULL,
  PRIMARY KEY (topic, threshold)
);

-- Every proactive message. Rendered at send time in the recipient's current language.
CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  key              TEXT NOT NULL UNIQUE,
  chat_id          INTEGER NOT NULL,
  template         TEXT NOT NULL,
  params           TEXT NOT NULL DEFAULT '{}',
  due_at           TEXT NOT NULL,
  state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled', 'uncertain', 'dropped')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT,
  last_error       TEXT,
  message_id       INTEGER,
  sent_at          TEXT,
  created_at       TEXT NOT NULL
);
CREATE INDEX outbox_pending ON outbox (due_at) WHERE state = 'pending';
CREATE INDEX outbox_chat ON outbox (chat_id, state);
CREATE INDEX outbox_state ON outbox (state);

CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor_id  INTEGER,
  action    TEXT NOT NULL,
  subject   TEXT,
  details   TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);

-- @grammyjs/conversations state, so that a restart continues a conversation.
CREATE TABLE conversation_state (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

-- Polling is at-least-once: an update seen before is not handled again.
CREATE TABLE processed_updates (
  update_id  INTEGER PRIMARY KEY,
  at         TEXT NOT NULL
);

-- Cron only wakes a job; the job asks what is due since its last recorded run.
CREATE TABLE job_runs (
  name         TEXT PRIMARY KEY,
  last_run_at  TEXT NOT NULL,
  last_result  TEXT NOT NULL DEFAULT '{}'
);
