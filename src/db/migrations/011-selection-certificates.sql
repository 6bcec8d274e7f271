-- Certificates for the annual selection: a learning family's (one, to the account holder) and a
-- learning team's (one per member's account, printed with the team's name). SQLite cannot change
-- a CHECK in place, so the table is rebuilt with the two new kinds and the selection it came from.
CREATE TABLE certificates_new (
  id            INTEGER PRIMARY KEY,
  code          TEXT NOT NULL UNIQUE,
  kind          TEXT NOT NULL CHECK (kind IN ('course', 'volunteer', 'family', 'team')),
  person_id     INTEGER REFERENCES people (id) ON DELETE SET NULL,
  course_id     INTEGER REFERENCES courses (id) ON DELETE SET NULL,
  volunteer_id  INTEGER,
  year          INTEGER,
  -- The selection a family's or team's certificate was issued for; NULL for the other kinds.
  selection_id  INTEGER REFERENCES selections (id) ON DELETE SET NULL,
  name          TEXT NOT NULL,
  title_zh      TEXT NOT NULL,
  title_en      TEXT NOT NULL,
  school_zh     TEXT NOT NULL,
  school_en     TEXT NOT NULL,
  hours         REAL NOT NULL CHECK (hours >= 0),
  issued_at     TEXT NOT NULL,
  CHECK (kind <> 'course' OR course_id IS NOT NULL OR person_id IS NULL)
);
INSERT INTO certificates_new (id, code, kind, person_id, course_id, volunteer_id, year, name, title_zh,
  title_en, school_zh, school_en, hours, issued_at)
SELECT id, code, kind, person_id, course_id, volunteer_id, year, name, title_zh, title_en, school_zh,
  school_en, hours, issued_at FROM certificates;
DROP TABLE certificates;
ALTER TABLE certificates_new RENAME TO certificates;
CREATE UNIQUE INDEX certificates_course ON certificates (course_id, person_id) WHERE kind = 'course';
CREATE UNIQUE INDEX certificates_volunteer ON certificates (volunteer_id, year) WHERE kind = 'volunteer';
-- One certificate per selection and person: the family's holder, or one member of each account in a team.
CREATE UNIQUE INDEX certificates_selection ON certificates (selection_id, person_id)
  WHERE kind IN ('family', 'team');
