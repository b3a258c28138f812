-- Task memory (SQLite): the context ledger with provenance, task links, idempotency keys and the
-- full-text indexes of recall and of the task search. The PostgreSQL twin differs in identity
-- columns and in its full-text machinery (tsvector columns with GIN indexes instead of FTS5).

-- One row per write of one context key, in the transaction of the write. The live row of a key has
-- superseded_at NULL; a deletion is a row whose value is NULL. search_key and search_text are the
-- key and the value as plain text (string leaves, numbers, nested keys) for the full-text index.
CREATE TABLE context_entries (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id         BIGINT  NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  key             TEXT    NOT NULL,
  value           TEXT,
  source          TEXT    NOT NULL,
  author_agent_id BIGINT,
  author_name     TEXT,
  version         BIGINT  NOT NULL,
  created_at      BIGINT  NOT NULL,
  superseded_at   BIGINT,
  search_key      TEXT    NOT NULL DEFAULT '',
  search_text     TEXT    NOT NULL DEFAULT ''
);
-- One write per key and context version: a lost update would violate it.
CREATE UNIQUE INDEX ux_context_entries_key_version ON context_entries (task_id, key, version);
CREATE INDEX ix_context_entries_task ON context_entries (task_id, id);
CREATE INDEX ix_context_entries_live ON context_entries (task_id, key) WHERE superseded_at IS NULL;

CREATE VIRTUAL TABLE context_fts USING fts5(
  search_key, search_text,
  content = 'context_entries', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 0');

CREATE TRIGGER context_entries_fts_insert AFTER INSERT ON context_entries WHEN new.value IS NOT NULL BEGIN
  INSERT INTO context_fts (rowid, search_key, search_text) VALUES (new.id, new.search_key, new.search_text);
END;
CREATE TRIGGER context_entries_fts_delete AFTER DELETE ON context_entries WHEN old.value IS NOT NULL BEGIN
  INSERT INTO context_fts (context_fts, rowid, search_key, search_text)
    VALUES ('delete', old.id, old.search_key, old.search_text);
END;
CREATE TRIGGER context_entries_fts_update AFTER UPDATE OF search_key, search_text, value ON context_entries BEGIN
  INSERT INTO context_fts (context_fts, rowid, search_key, search_text)
    SELECT 'delete', old.id, old.search_key, old.search_text WHERE old.value IS NOT NULL;
  INSERT INTO context_fts (rowid, search_key, search_text)
    SELECT new.id, new.search_key, new.search_text WHERE new.value IS NOT NULL;
END;

-- Context written before this migration becomes the first ledger entries, marked imported.
INSERT INTO context_entries (task_id, key, value, source, author_agent_id, author_name, version,
                             created_at, search_key, search_text)
SELECT t.id, j.key,
       CASE j.type WHEN 'text' THEN json_quote(j.value) WHEN 'true' THEN 'true'
                   WHEN 'false' THEN 'false' ELSE CAST(j.value AS TEXT) END,
       'imported', t.created_by_agent_id, a.name, MAX(t.context_version, 1), t.updated_at,
       j.key, COALESCE(CAST(j.value AS TEXT), '')
FROM tasks t
JOIN json_each(t.context) j
LEFT JOIN agents a ON a.id = t.created_by_agent_id
WHERE t.context IS NOT NULL AND json_valid(t.context) AND json_type(t.context) = 'object' AND j.type <> 'null';
UPDATE tasks SET context_version = 1
WHERE context_version = 0 AND id IN (SELECT task_id FROM context_entries);

-- Links from a task to code.
CREATE TABLE task_links (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id             BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  kind                TEXT   NOT NULL,
  repo                TEXT,
  ref                 TEXT   NOT NULL,
  url                 TEXT,
  created_by_agent_id BIGINT,
  created_at          BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_task_links ON task_links (task_id, kind, COALESCE(repo, ''), ref, COALESCE(url, ''));

-- Idempotency-Key records: one per (caller scope, key), first in progress, then with the response.
CREATE TABLE idempotency_keys (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  scope        TEXT    NOT NULL,
  idem_key     TEXT    NOT NULL,
  request_hash TEXT    NOT NULL,
  owner        TEXT    NOT NULL,
  completed    BOOLEAN NOT NULL DEFAULT FALSE,
  status       INTEGER,
  headers      TEXT,
  body         TEXT,
  created_at   BIGINT  NOT NULL,
  locked_until BIGINT  NOT NULL
);
CREATE UNIQUE INDEX ux_idempotency_keys ON idempotency_keys (scope, idem_key);
CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);

-- The task search: content and description, kept in step by triggers.
CREATE VIRTUAL TABLE tasks_fts USING fts5(
  content, description,
  content = 'tasks', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 0');

CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks BEGIN
  INSERT INTO tasks_fts (rowid, content, description) VALUES (new.id, new.content, new.description);
END;
CREATE TRIGGER tasks_fts_delete AFTER DELETE ON tasks BEGIN
  INSERT INTO tasks_fts (tasks_fts, rowid, content, description)
    VALUES ('delete', old.id, old.content, old.description);
END;
CREATE TRIGGER tasks_fts_update AFTER UPDATE OF content, description ON tasks BEGIN
  INSERT INTO tasks_fts (tasks_fts, rowid, content, description)
    VALUES ('delete', old.id, old.content, old.description);
  INSERT INTO tasks_fts (rowid, content, description) VALUES (new.id, new.content, new.description);
END;

INSERT INTO tasks_fts (tasks_fts) VALUES ('rebuild');
