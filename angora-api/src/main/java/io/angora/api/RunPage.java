package io.angora.api;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of runs, newest first.
 *
 * @param runs the runs
 * @param next the cursor for the next page ({@link RunQuery#withBefore}), or null on the last
 */
public record RunPage(List<Run> runs, @Nullable String next) {
  /** Copies the list. */
  public RunPage {
    runs = List.copyOf(runs);
  }
}
