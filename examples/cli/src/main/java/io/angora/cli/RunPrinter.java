package io.angora.cli;

import io.angora.api.Run;
import io.angora.api.RunListener;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Prints each run as it finishes, one line each, for people watching a terminal. */
final class RunPrinter implements RunListener {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
  private final PrintStream out;
  /** The last second printed and its text: a burst of runs formats each second once. */
  private long lastSecond = Long.MIN_VALUE;
  private String lastTime = "";

  RunPrinter(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onRun(Run run) {
    if (!run.status().isFinal()) {
      return;
    }
    StringBuilder line = new StringBuilder()
        .append(time(run.finishedAt() != null ? run.finishedAt() : run.queuedAt()))
        .append("  ").append(run.status().name());
    // The status padded to the longest one's 9 characters, without a Formatter per line.
    line.append(" ".repeat(Math.max(0, 9 - run.status().name().length())))
        .append("  ").append(run.task())
        .append("  (message ").append(run.message())
        .append(", attempt ").append(run.attempt());
    if (run.startedAt() != null && run.finishedAt() != null) {
      line.append(", ").append(Duration.between(run.startedAt(), run.finishedAt()).toMillis())
          .append(" ms");
    }
    line.append(", run ").append(run.id()).append(")");
    if (run.reason() != null) {
      line.append(": ").append(run.reason());
    }
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  private synchronized String time(Instant at) {
    long second = at.getEpochSecond();
    if (second != lastSecond) {
      lastTime = TIME.format(at);
      lastSecond = second;
    }
    return lastTime;
  }
}
