-- Work queue (SQLite). The claim columns live on tasks since V1; this adds the claim log and the
-- index the queue reads in order. The PostgreSQL twin differs only in the identity column.

-- Append-only: one row per re-claim, release and lease expiry of a task (a first claim is not
-- logged). Fleet attention reads it for "looping" (released or re-claimed 3+ times in an hour) and
-- "abandoned_claims" (the last thing that happened was an expiry); the audit trail is the event log.
CREATE TABLE task_claims (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id     BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  agent_id    BIGINT REFERENCES agents(id) ON DELETE SET NULL,
  lease_token BIGINT NOT NULL,
  action      TEXT   NOT NULL,
  happened_at BIGINT NOT NULL
);
CREATE INDEX ix_task_claims_task ON task_claims (task_id, id);
CREATE INDEX ix_task_claims_time ON task_claims (happened_at, action);

-- The claim queue: open tasks, highest priority first, then oldest.
CREATE INDEX ix_tasks_claim_queue ON tasks (status, priority DESC, created_at, id);
