-- Angora run store, schema version 2 (SQLite): schedule state. last_fire is the fire time a
-- schedule last fired for (INTEGER microseconds since the epoch, as in version 1), NULL while
-- it never fired; paused is 0 or 1.
CREATE TABLE schedules (
  name          TEXT    NOT NULL PRIMARY KEY,
  last_fire     INTEGER,
  paused        INTEGER NOT NULL DEFAULT 0
);
