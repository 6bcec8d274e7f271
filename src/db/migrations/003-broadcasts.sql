-- Broadcasts get a table of their own: they were kept in the audit log, which is a record of
-- who did what, not a store that code reads back. Each recipient's copy stays an outbox row
-- keyed broadcast:<id>:<user>, so the ids are carried over.
CREATE TABLE broadcasts (
  id           INTEGER PRIMARY KEY,
  sender_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
  audience     TEXT NOT NULL,
  html         TEXT NOT NULL,
  recipients   INTEGER NOT NULL CHECK (recipients >= 0),
  created_at   TEXT NOT NULL,
  -- When the report to the sender was queued; NULL while messages are still going out.
  reported_at  TEXT
);
CREATE INDEX broadcasts_unreported ON broadcasts (created_at) WHERE reported_at IS NULL;

INSERT INTO broadcasts (id, sender_id, audience, html, recipients, created_at, reported_at)
SELECT a.id,
       (SELECT u.id FROM users u WHERE u.id = a.actor_id),
       COALESCE(a.subject, ''),
       COALESCE(json_extract(a.details, '$.html'), ''),
       COALESCE(json_extract(a.details, '$.count'), 0),
       a.at,
       (SELECT o.created_at FROM outbox o WHERE o.key = 'broadcast-report:' || a.id)
FROM audit_log a WHERE a.action = 'broadcast';

UPDATE audit_log SET details = json_object('broadcast', id, 'count', json_extract(details, '$.count'))
WHERE action = 'broadcast';
