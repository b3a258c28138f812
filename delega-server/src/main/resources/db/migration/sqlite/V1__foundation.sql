-- Delega foundation schema (SQLite). Timestamps are epoch milliseconds (UTC); dates are ISO text.
-- The PostgreSQL twin of this file differs only in how identity columns are declared.

CREATE TABLE settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE agents (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  name         TEXT    NOT NULL UNIQUE,
  display_name TEXT,
  description  TEXT,
  role         TEXT    NOT NULL DEFAULT 'worker',
  is_admin     BOOLEAN NOT NULL DEFAULT FALSE,
  permissions  TEXT    NOT NULL DEFAULT '[]',
  active       BOOLEAN NOT NULL DEFAULT TRUE,
  key_hash     TEXT    NOT NULL UNIQUE,
  key_prefix   TEXT    NOT NULL,
  created_at   BIGINT  NOT NULL,
  updated_at   BIGINT  NOT NULL,
  last_seen_at BIGINT
);

CREATE TABLE projects (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT    NOT NULL,
  emoji      TEXT,
  color      TEXT,
  sort_order INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT  NOT NULL,
  updated_at BIGINT  NOT NULL
);

CREATE TABLE tasks (
  id                    INTEGER PRIMARY KEY AUTOINCREMENT,
  content               TEXT    NOT NULL,
  description           TEXT,
  project_id            BIGINT REFERENCES projects(id) ON DELETE SET NULL,
  due_date              TEXT,
  due_time              TEXT,
  priority              INTEGER NOT NULL DEFAULT 1,
  labels                TEXT    NOT NULL DEFAULT '[]',
  status                TEXT    NOT NULL DEFAULT 'open',
  completed             BOOLEAN NOT NULL DEFAULT FALSE,
  completed_at          BIGINT,
  created_at            BIGINT  NOT NULL,
  updated_at            BIGINT  NOT NULL,
  created_by_agent_id   BIGINT REFERENCES agents(id) ON DELETE SET NULL,
  assigned_to_agent_id  BIGINT REFERENCES agents(id) ON DELETE SET NULL,
  completed_by_agent_id BIGINT REFERENCES agents(id) ON DELETE SET NULL,
  accountable_agent_id  BIGINT REFERENCES agents(id) ON DELETE SET NULL,
  delegated_by_agent_id BIGINT REFERENCES agents(id) ON DELETE SET NULL,
  parent_task_id        BIGINT REFERENCES tasks(id) ON DELETE SET NULL,
  root_task_id          BIGINT,
  delegation_depth      INTEGER NOT NULL DEFAULT 0,
  context               TEXT,
  context_version       BIGINT  NOT NULL DEFAULT 0,
  recurring_type        TEXT,
  recurring_interval    INTEGER,
  recurring_string      TEXT,
  is_recurring          BOOLEAN NOT NULL DEFAULT FALSE,
  reminder_time         BIGINT,
  reminder_sent         BOOLEAN NOT NULL DEFAULT FALSE,
  evidence_policy       TEXT,
  completion_evidence   TEXT,
  claimed_by_agent_id   BIGINT REFERENCES agents(id) ON DELETE SET NULL,
  claimed_at            BIGINT,
  lease_expires_at      BIGINT,
  lease_token           BIGINT  NOT NULL DEFAULT 0,
  last_heartbeat_at     BIGINT,
  session_state         TEXT,
  session_state_detail  TEXT,
  handoff_note          TEXT,
  handoff_state         TEXT,
  handoff_by_agent_id   BIGINT REFERENCES agents(id) ON DELETE SET NULL,
  attempts              INTEGER NOT NULL DEFAULT 0,
  source_ingress_id     BIGINT,
  next_occurrence       TEXT,
  version               BIGINT  NOT NULL DEFAULT 1
);

-- The list order of GET /tasks (open first, urgent first, earliest due date, newest), so a page is
-- read in index order instead of sorting every task.
CREATE INDEX ix_tasks_list ON tasks (completed, priority DESC, COALESCE(due_date, '9999-12-31'), created_at DESC, id DESC);
CREATE INDEX ix_tasks_assigned ON tasks (assigned_to_agent_id);
CREATE INDEX ix_tasks_created_by ON tasks (created_by_agent_id);
CREATE INDEX ix_tasks_completed_by ON tasks (completed_by_agent_id);
CREATE INDEX ix_tasks_claimed_by ON tasks (claimed_by_agent_id);
CREATE INDEX ix_tasks_root ON tasks (root_task_id);
CREATE INDEX ix_tasks_parent ON tasks (parent_task_id);
CREATE INDEX ix_tasks_project ON tasks (project_id);
CREATE INDEX ix_tasks_due ON tasks (due_date);
CREATE INDEX ix_tasks_lease ON tasks (lease_expires_at);

CREATE TABLE task_labels (
  task_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  label   TEXT   NOT NULL,
  PRIMARY KEY (task_id, label)
);
CREATE INDEX ix_task_labels_label ON task_labels (label);

CREATE TABLE task_dependencies (
  task_id         BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  blocker_task_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  created_at      BIGINT NOT NULL,
  PRIMARY KEY (task_id, blocker_task_id)
);
CREATE INDEX ix_task_dependencies_blocker ON task_dependencies (blocker_task_id);

CREATE TABLE subtasks (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id    BIGINT  NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  content    TEXT    NOT NULL,
  completed  BOOLEAN NOT NULL DEFAULT FALSE,
  sort_order INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT  NOT NULL
);
CREATE INDEX ix_subtasks_task ON subtasks (task_id, sort_order);

CREATE TABLE comments (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id         BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  content         TEXT   NOT NULL,
  author          TEXT,
  author_agent_id BIGINT REFERENCES agents(id) ON DELETE SET NULL,
  created_at      BIGINT NOT NULL
);
CREATE INDEX ix_comments_task ON comments (task_id, id);

-- The append-only event log: one row per change, written in the change's own transaction.
-- task_id has no foreign key so that the history of a deleted task survives it.
CREATE TABLE events (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  type           TEXT   NOT NULL,
  task_id        BIGINT,
  actor_agent_id BIGINT,
  created_at     BIGINT NOT NULL,
  changes        TEXT,
  task           TEXT
);
CREATE INDEX ix_events_task ON events (task_id, id);
