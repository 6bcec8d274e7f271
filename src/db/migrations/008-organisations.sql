-- Learning organisations: enterprises, institutions, schools and community teams whose people
-- the plan wants in continuing education ("not less than 50 %" of employees a year).
CREATE TABLE organisations (
  id               INTEGER PRIMARY KEY,
  site_id          INTEGER NOT NULL REFERENCES sites (id),
  kind             TEXT NOT NULL CHECK (kind IN ('enterprise', 'institution', 'school', 'community_team')),
  name             TEXT NOT NULL,
  -- The name folded for comparison (width, case, spaces and punctuation removed): one per site.
  name_key         TEXT NOT NULL,
  contact_name     TEXT NOT NULL,
  contact_user_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  employees        INTEGER NOT NULL CHECK (employees >= 1),
  created_by       INTEGER,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE UNIQUE INDEX organisations_site_name ON organisations (site_id, name_key);
CREATE INDEX organisations_contact ON organisations (contact_user_id);

-- One-time links that make a Telegram account the organisation's contact.
CREATE TABLE organisation_invites (
  token            TEXT PRIMARY KEY,
  organisation_id  INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  created_by       INTEGER,
  created_at       TEXT NOT NULL,
  expires_at       TEXT NOT NULL,
  used_at          TEXT,
  used_by          INTEGER
);

-- Who works for (or belongs to) an organisation. source 'contact': added by the contact;
-- 'resident': the person said so when enrolling. left_at set when they leave; a person has at
-- most one current organisation.
CREATE TABLE organisation_members (
  id               INTEGER PRIMARY KEY,
  organisation_id  INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  person_id        INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  source           TEXT NOT NULL CHECK (source IN ('contact', 'resident')),
  joined_at        TEXT NOT NULL,
  left_at          TEXT
);
CREATE UNIQUE INDEX organisation_members_current ON organisation_members (person_id) WHERE left_at IS NULL;
CREATE INDEX organisation_members_org ON organisation_members (organisation_id, left_at);

-- An enrolment the contact made for one of the organisation's people: when and by whom the
-- person's consent was confirmed (the contact enrols on their behalf, like a family member).
CREATE TABLE organisation_enrolments (
  enrolment_id     INTEGER PRIMARY KEY REFERENCES enrolments (id) ON DELETE CASCADE,
  organisation_id  INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  consent_at       TEXT NOT NULL,
  consent_by       INTEGER
);
