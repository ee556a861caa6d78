package io.angora.engine;

/** What an {@link Angora} instance does in an installation. */
public enum Role {
  /** Coordinator and worker in one process: the embedded default. */
  ALL,
  /** Matches messages to tasks, records runs, sends follow-ups, schedules replays. One only. */
  COORDINATOR,
  /** Runs jobs; needs only the transport. Any number. */
  WORKER;

  boolean coordinates() {
    return this != WORKER;
  }

  boolean works() {
    return this != COORDINATOR;
  }
}
