-- Angora run store, schema version 2 (PostgreSQL): schedule state. last_fire is the fire time a
-- schedule last fired for, NULL while it never fired.
CREATE TABLE schedules (
  name          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  last_fire     TIMESTAMPTZ,
  paused        BOOLEAN     NOT NULL DEFAULT FALSE
);
