-- Angora run store, schema version 1 (SQLite). Instants are INTEGER microseconds since the epoch.
CREATE TABLE runs (
  id            TEXT    NOT NULL PRIMARY KEY,
  task          TEXT    NOT NULL,
  message       TEXT    NOT NULL,
  message_id    TEXT    NOT NULL,
  payload       TEXT,
  workflow_id   TEXT    NOT NULL,
  parent_run_id TEXT,
  attempt       INTEGER NOT NULL,
  status        TEXT    NOT NULL,
  reason        TEXT,
  exit_code     INTEGER,
  worker        TEXT,
  queued_at     INTEGER NOT NULL,
  started_at    INTEGER,
  finished_at   INTEGER,
  output        TEXT    NOT NULL
);
CREATE INDEX runs_task_id ON runs (task, id);
CREATE INDEX runs_status_id ON runs (status, id);
CREATE INDEX runs_task_status_id ON runs (task, status, id);
CREATE INDEX runs_workflow_id ON runs (workflow_id, id);
CREATE INDEX runs_queued_at ON runs (queued_at);

CREATE TABLE messages (
  seq           INTEGER PRIMARY KEY,
  message_id    TEXT    NOT NULL UNIQUE,
  text          TEXT    NOT NULL,
  payload       TEXT,
  workflow_id   TEXT    NOT NULL,
  parent_run_id TEXT,
  task          TEXT,
  sent_at       INTEGER NOT NULL
);
CREATE INDEX messages_sent_at ON messages (sent_at);

CREATE TABLE pending_replays (
  run_id        TEXT    NOT NULL PRIMARY KEY,
  due_at        INTEGER NOT NULL
);
