-- Learning teams ("学习型团队"): residents who take one course together, formed by the site's
-- staff from the roster or by a resident who shares the team's invite link (t_<code>). A person
-- is in at most one team per course; the domain keeps to that.
CREATE TABLE learning_teams (
  id           INTEGER PRIMARY KEY,
  course_id    INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  -- The name folded for comparison (as organisations' name_key): one per course.
  name_key     TEXT NOT NULL,
  formed_by    TEXT NOT NULL CHECK (formed_by IN ('staff', 'resident')),
  created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
  -- The code of the invite link; NULL when the team takes nobody else.
  invite_code  TEXT UNIQUE,
  created_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX learning_teams_course_name ON learning_teams (course_id, name_key);

-- Who is in a team. Removed by /forget with the person's other links.
CREATE TABLE learning_team_members (
  team_id    INTEGER NOT NULL REFERENCES learning_teams (id) ON DELETE CASCADE,
  person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  joined_at  TEXT NOT NULL,
  added_by   INTEGER,
  PRIMARY KEY (team_id, person_id)
) WITHOUT ROWID;
CREATE INDEX learning_team_members_person ON learning_team_members (person_id);

-- The annual selection of learning families and learning teams: what staff marked as selected
-- for a year, and when the selected were sent their certificate message.
CREATE TABLE selections (
  id           INTEGER PRIMARY KEY,
  year         INTEGER NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('family', 'team')),
  account_id   INTEGER REFERENCES users (id) ON DELETE CASCADE,
  team_id      INTEGER REFERENCES learning_teams (id) ON DELETE CASCADE,
  selected_by  INTEGER,
  selected_at  TEXT NOT NULL,
  notified_at  TEXT,
  CHECK ((kind = 'family') = (account_id IS NOT NULL)),
  CHECK ((kind = 'team') = (team_id IS NOT NULL))
);
CREATE UNIQUE INDEX selections_family ON selections (year, account_id) WHERE kind = 'family';
CREATE UNIQUE INDEX selections_team ON selections (year, team_id) WHERE kind = 'team';
