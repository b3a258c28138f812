-- Automations, signed ingress sources and recurrences (SQLite). Timestamps are epoch milliseconds.
-- The PostgreSQL twin of this file differs only in how identity columns are declared.

-- Where a task came from, besides an agent: the recurrence occurrence that spawned it (unique, so an
-- occurrence can never be spawned twice, whatever the scheduler does) or the automation that made it.
ALTER TABLE tasks ADD COLUMN source_recurrence_id BIGINT;
ALTER TABLE tasks ADD COLUMN source_occurrence_at BIGINT;
ALTER TABLE tasks ADD COLUMN source_automation_id BIGINT;
CREATE UNIQUE INDEX ux_tasks_recurrence_occurrence ON tasks (source_recurrence_id, source_occurrence_at);
CREATE INDEX ix_tasks_source_ingress ON tasks (source_ingress_id);

-- How many automation hops deep the change behind an event is (0 = an agent or a person), and which
-- automation made it; the loop guard reads it.
ALTER TABLE events ADD COLUMN automation_depth INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN automation_id BIGINT;

CREATE TABLE automations (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  name                TEXT    NOT NULL,
  event               TEXT    NOT NULL,
  conditions          TEXT    NOT NULL DEFAULT '[]',
  actions             TEXT    NOT NULL,
  active              BOOLEAN NOT NULL DEFAULT TRUE,
  run_count           BIGINT  NOT NULL DEFAULT 0,
  failure_count       BIGINT  NOT NULL DEFAULT 0,
  last_run_at         BIGINT,
  last_error          TEXT,
  created_by_agent_id BIGINT REFERENCES agents(id) ON DELETE SET NULL,
  created_at          BIGINT  NOT NULL,
  updated_at          BIGINT  NOT NULL
);
CREATE INDEX ix_automations_event ON automations (event, active);

-- One row per automation and event it was considered for: the run log, and the guard that an event
-- is never acted on twice by one automation.
CREATE TABLE automation_runs (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  automation_id BIGINT  NOT NULL REFERENCES automations(id) ON DELETE CASCADE,
  event_id      BIGINT  NOT NULL,
  task_id       BIGINT,
  depth         INTEGER NOT NULL,
  outcome       TEXT    NOT NULL,
  message       TEXT,
  created_at    BIGINT  NOT NULL,
  UNIQUE (automation_id, event_id)
);
CREATE INDEX ix_automation_runs_created ON automation_runs (created_at);

CREATE TABLE ingress_sources (
  id                        INTEGER PRIMARY KEY AUTOINCREMENT,
  name                      TEXT    NOT NULL,
  secret                    TEXT    NOT NULL,
  template                  TEXT    NOT NULL,
  filters                   TEXT    NOT NULL DEFAULT '[]',
  default_project_id        BIGINT REFERENCES projects(id) ON DELETE SET NULL,
  default_assignee_agent_id BIGINT REFERENCES agents(id) ON DELETE SET NULL,
  active                    BOOLEAN NOT NULL DEFAULT TRUE,
  delivery_count            BIGINT  NOT NULL DEFAULT 0,
  last_delivery_at          BIGINT,
  created_by_agent_id       BIGINT REFERENCES agents(id) ON DELETE SET NULL,
  created_at                BIGINT  NOT NULL,
  updated_at                BIGINT  NOT NULL
);

-- Accepted signatures, kept until their timestamp leaves the tolerance: a replay on any node
-- collides with the primary key.
CREATE TABLE ingress_signatures (
  source_id  BIGINT NOT NULL REFERENCES ingress_sources(id) ON DELETE CASCADE,
  signature  TEXT   NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (source_id, signature)
);
CREATE INDEX ix_ingress_signatures_expiry ON ingress_signatures (expires_at);

-- The task each rendered dedupe_key made, so a retried delivery finds it instead of making another.
CREATE TABLE ingress_dedupe (
  source_id  BIGINT NOT NULL REFERENCES ingress_sources(id) ON DELETE CASCADE,
  dedupe_key TEXT   NOT NULL,
  task_id    BIGINT,
  hits       BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (source_id, dedupe_key)
);

-- A recurring task template. The rule is stored resolved (start_date, time_of_day in the zone);
-- next_due_at only moves forward, by compare-and-set in the transaction that spawns the task.
CREATE TABLE recurrences (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  content              TEXT    NOT NULL,
  description          TEXT,
  project_id           BIGINT REFERENCES projects(id) ON DELETE SET NULL,
  labels               TEXT    NOT NULL DEFAULT '[]',
  priority             INTEGER NOT NULL DEFAULT 1,
  rule_type            TEXT    NOT NULL,
  interval_n           INTEGER NOT NULL DEFAULT 1,
  anchor_day           INTEGER,
  anchor_month         INTEGER,
  anchor_weekday       INTEGER,
  timezone             TEXT    NOT NULL,
  start_date           TEXT    NOT NULL,
  time_of_day          TEXT    NOT NULL,
  next_due_at          BIGINT  NOT NULL,
  last_spawned_at      BIGINT,
  last_spawned_task_id BIGINT,
  active               BOOLEAN NOT NULL DEFAULT TRUE,
  skip_if_open         BOOLEAN NOT NULL DEFAULT FALSE,
  assigned_to_agent_id BIGINT REFERENCES agents(id) ON DELETE SET NULL,
  created_by_agent_id  BIGINT REFERENCES agents(id) ON DELETE SET NULL,
  created_at           BIGINT  NOT NULL,
  updated_at           BIGINT  NOT NULL
);
CREATE INDEX ix_recurrences_due ON recurrences (active, next_due_at);
