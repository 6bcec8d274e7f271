-- The monthly report each grass-roots school sends the district centre ("monthly report system
-- of grass-roots community education"): opened as a draft on the first working day of the next
-- month, completed in the chat, submitted. Figures are not stored: they are computed from the
-- month's records whenever the report is shown.
CREATE TABLE monthly_reports (
  id            INTEGER PRIMARY KEY,
  site_id       INTEGER NOT NULL REFERENCES sites (id),
  month         TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  highlights    TEXT NOT NULL DEFAULT '',
  problems      TEXT NOT NULL DEFAULT '',
  next_plan     TEXT NOT NULL DEFAULT '',
  -- Voice notes kept by Telegram file_id: JSON [{"section": "highlights", "fileId": "…", "seconds": 12}].
  attachments   TEXT NOT NULL DEFAULT '[]',
  opened_at     TEXT NOT NULL,
  -- The start of the fifth working day of the next month: submitted after it is late.
  due_at        TEXT NOT NULL,
  submitted_at  TEXT,
  submitted_by  INTEGER,
  reminded_at   TEXT,
  UNIQUE (site_id, month)
);
CREATE INDEX monthly_reports_month ON monthly_reports (month, submitted_at);

-- Certificates: of completion for a participant who attended enough of a course's sessions, and
-- of hours served for a volunteer's year. The name is printed as the person gave it; the code is
-- what /start v_<code> verifies.
ALTER TABLE courses ADD COLUMN completion_share REAL
  CHECK (completion_share IS NULL OR (completion_share > 0 AND completion_share <= 1));

CREATE TABLE certificates (
  id            INTEGER PRIMARY KEY,
  code          TEXT NOT NULL UNIQUE,
  kind          TEXT NOT NULL CHECK (kind IN ('course', 'volunteer')),
  person_id     INTEGER REFERENCES people (id) ON DELETE SET NULL,
  course_id     INTEGER REFERENCES courses (id) ON DELETE SET NULL,
  volunteer_id  INTEGER,
  year          INTEGER,
  name          TEXT NOT NULL,
  title_zh      TEXT NOT NULL,
  title_en      TEXT NOT NULL,
  school_zh     TEXT NOT NULL,
  school_en     TEXT NOT NULL,
  hours         REAL NOT NULL CHECK (hours >= 0),
  issued_at     TEXT NOT NULL,
  CHECK (kind <> 'course' OR course_id IS NOT NULL OR person_id IS NULL)
);
CREATE UNIQUE INDEX certificates_course ON certificates (course_id, person_id) WHERE kind = 'course';
CREATE UNIQUE INDEX certificates_volunteer ON certificates (volunteer_id, year) WHERE kind = 'volunteer';
