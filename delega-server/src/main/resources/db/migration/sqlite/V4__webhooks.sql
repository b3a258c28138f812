-- Webhooks and their durable delivery outbox (SQLite). Timestamps are epoch milliseconds (UTC).
-- The PostgreSQL twin of this file is identical except for how identity columns are declared.

-- A subscription: events of the tasks its owner may see are POSTed to url, signed with secret.
-- agent_id NULL = created in open mode (no key): such a webhook receives everything.
CREATE TABLE webhooks (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  agent_id        BIGINT REFERENCES agents(id) ON DELETE CASCADE,
  url             TEXT    NOT NULL,
  events          TEXT    NOT NULL DEFAULT '[]',
  secret          TEXT    NOT NULL,
  active          BOOLEAN NOT NULL DEFAULT TRUE,
  failure_count   INTEGER NOT NULL DEFAULT 0,
  disabled_at     BIGINT,
  disabled_reason TEXT,
  created_at      BIGINT  NOT NULL,
  updated_at      BIGINT  NOT NULL
);
CREATE INDEX ix_webhooks_agent ON webhooks (agent_id);

-- The outbox: one row per (webhook, event), created in one transaction with the advance of the
-- fan-out cursor. The id is the delivery id sent as X-Delega-Delivery and webhook-id; it never
-- changes across retries. status: pending | delivered | failed. locked_by/locked_until lease a
-- pending row to one server process while it is being sent.
CREATE TABLE webhook_deliveries (
  id               TEXT    PRIMARY KEY,
  webhook_id       BIGINT  NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event_id         BIGINT,
  event            TEXT    NOT NULL,
  payload          TEXT    NOT NULL,
  status           TEXT    NOT NULL DEFAULT 'pending',
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  BIGINT,
  locked_by        TEXT,
  locked_until     BIGINT,
  last_status_code INTEGER,
  last_latency_ms  BIGINT,
  last_error       TEXT,
  last_attempt_at  BIGINT,
  created_at       BIGINT  NOT NULL,
  finished_at      BIGINT
);
CREATE UNIQUE INDEX ux_webhook_deliveries_event ON webhook_deliveries (webhook_id, event_id);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at);
CREATE INDEX ix_webhook_deliveries_created ON webhook_deliveries (created_at);

-- The delivery log: one row per HTTP attempt.
CREATE TABLE webhook_attempts (
  delivery_id      TEXT    NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  attempt          INTEGER NOT NULL,
  attempted_at     BIGINT  NOT NULL,
  status_code      INTEGER,
  latency_ms       BIGINT  NOT NULL,
  error            TEXT,
  response_excerpt TEXT,
  next_attempt_at  BIGINT,
  node             TEXT,
  PRIMARY KEY (delivery_id, attempt)
);

-- How far the fan-out has read the event log. Events are numbered in commit order, so every event
-- above last_event_id still has to be fanned out; nothing older is delivered (there were no
-- webhooks before this migration).
CREATE TABLE webhook_cursor (
  name          TEXT   PRIMARY KEY,
  last_event_id BIGINT NOT NULL
);
INSERT INTO webhook_cursor (name, last_event_id) SELECT 'fanout', COALESCE(MAX(id), 0) FROM events;
