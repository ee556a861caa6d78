-- Angora run store, schema version 1 (PostgreSQL). Ids use the "C" collation so they sort
-- byte by byte, as the engine's time-ordered ids require.
CREATE TABLE runs (
  id            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  task          TEXT        NOT NULL,
  message       TEXT        NOT NULL,
  message_id    TEXT        NOT NULL,
  payload       TEXT,
  workflow_id   TEXT        NOT NULL,
  parent_run_id TEXT,
  attempt       INTEGER     NOT NULL,
  status        TEXT        NOT NULL,
  reason        TEXT,
  exit_code     INTEGER,
  worker        TEXT,
  queued_at     TIMESTAMPTZ NOT NULL,
  started_at    TIMESTAMPTZ,
  finished_at   TIMESTAMPTZ,
  output        TEXT        NOT NULL
);
CREATE INDEX runs_task_id ON runs (task, id);
CREATE INDEX runs_status_id ON runs (status, id);
CREATE INDEX runs_task_status_id ON runs (task, status, id);
CREATE INDEX runs_workflow_id ON runs (workflow_id, id);
CREATE INDEX runs_queued_at ON runs (queued_at);

CREATE TABLE messages (
  seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id    TEXT        NOT NULL UNIQUE,
  text          TEXT        NOT NULL,
  payload       TEXT,
  workflow_id   TEXT        NOT NULL,
  parent_run_id TEXT,
  task          TEXT,
  sent_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX messages_sent_at ON messages (sent_at);

CREATE TABLE pending_replays (
  run_id        TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  due_at        TIMESTAMPTZ NOT NULL
);
