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
