-- Every private update asks whether messages wait for its sender (markReachable in
-- src/notify/outbox.ts). outbox_chat answers with a probe into an index over the whole outbox,
-- which grows by every message ever sent; this one holds only the rows that wait, almost always
-- none, so the probe stays on one hot page.
CREATE INDEX outbox_waiting ON outbox (chat_id) WHERE state = 'waiting';
