package io.angora.http.internal;

import io.angora.api.NotFoundException;
import io.angora.api.Run;
import io.angora.api.RunPage;
import io.angora.api.RunQuery;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import io.angora.engine.Angora;
import io.angora.http.HttpCall;
import io.angora.http.HttpException;
import io.angora.http.HttpReply;
import io.angora.http.HttpRoute;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code /api/runs} endpoints: query (by task, status, workflow, message text and queue
 * time), one run, its log, replay, cancel. Thread-safe.
 */
public final class RunEndpoints {
  /** Runs looked at per request when filtering by message or time. */
  private static final int SCAN_LIMIT = 5_000;
  private static final String NDJSON = "application/x-ndjson";
  /** Logs followed at once: each holds a request thread. */
  private static final int MAX_FOLLOWERS = 4;
  private static final java.time.Duration FOLLOW_POLL = java.time.Duration.ofMillis(250);

  private final java.util.concurrent.Semaphore followers =
      new java.util.concurrent.Semaphore(MAX_FOLLOWERS);

  private final Angora angora;
  private final LogFiles logFiles;

  /**
   * Creates the endpoints.
   *
   * @param angora the engine
   * @param logFiles reads tasks' log files
   */
  public RunEndpoints(Angora angora, LogFiles logFiles) {
    this.angora = angora;
    this.logFiles = logFiles;
  }

  /** The routes. */
  public List<HttpRoute> routes() {
    return List.of(
        HttpRoute.get("/api/runs", this::query),
        HttpRoute.get("/api/runs/{id}", call -> HttpReply.ok(Views.run(withLiveOutput(run(call)),
            true))),
        HttpRoute.get("/api/runs/{id}/log", this::log),
        HttpRoute.post("/api/runs/{id}/replay", call -> HttpReply.json(202,
            Views.run(angora.replay(run(call).id()), true))),
        HttpRoute.post("/api/runs/{id}/cancel", this::cancel));
  }

  private HttpReply query(HttpCall call) {
    // Ids sort by time, so "before" is a keyset cursor: no offset to skip over.
    int limit = Params.limit(call, 50);
    String message = call.query("message").orElse(null);
    Instant from = Params.instant(call, "from");
    Instant to = Params.instant(call, "to");
    String before = Params.optionalId(call, "before");
    RunQuery query = new RunQuery(call.query("task").orElse(null), Params.status(call),
        Params.optionalId(call, "workflow"), before, limit);
    if (message == null && from == null && to == null) {
      RunPage page = angora.runs().query(query);
      return page(page.runs(), page.next());
    }
    // The store filters by task, status and workflow; message and time are filtered here, over
    // at most SCAN_LIMIT runs per request, newest first; "next" continues where it stopped.
    List<Run> found = new ArrayList<>();
    String cursor = before;
    int scanned = 0;
    while (true) {
      RunPage page = angora.runs().query(query.withBefore(cursor));
      String resume = null;
      for (Run run : page.runs()) {
        scanned++;
        resume = run.id();
        if (to != null && !run.queuedAt().isBefore(to)) {
          continue;
        }
        if (from != null && run.queuedAt().isBefore(from)) {
          return page(found, null); // older ones only from here on
        }
        if (message == null || run.message().contains(message)) {
          found.add(run);
          if (found.size() == limit) {
            return page(found, run.id());
          }
        }
      }
      if (page.next() == null) {
        return page(found, null);
      }
      if (scanned >= SCAN_LIMIT) {
        return page(found, resume);
      }
      cursor = page.next();
    }
  }

  private static HttpReply page(List<Run> runs, @Nullable String next) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("runs", runs.stream().map(r -> Views.run(r, false)).toList());
    body.put("next", next);
    return HttpReply.ok(body);
  }

  /** A running run with the output its job has produced so far, when this process runs it. */
  private Run withLiveOutput(Run run) {
    if (run.status() != RunStatus.RUNNING) {
      return run;
    }
    return angora.liveOutput(run.id()).map(live -> new Run(run.id(), run.task(), run.message(),
        run.messageId(), run.payload(), run.workflowId(), run.parentRunId(), run.attempt(),
        run.status(), run.reason(), run.exitCode(), run.worker(), run.queuedAt(),
        run.startedAt(), run.finishedAt(), live.text())).orElse(run);
  }

  private Run run(HttpCall call) {
    String id = Params.id("run", call.pathParam("id"));
    return angora.runs().find(id).orElseThrow(() -> new NotFoundException("run", id));
  }

  private HttpReply log(HttpCall call) {
    Run run = run(call);
    if (!call.query("source").orElse("run").equals("file")) {
      if (call.query("follow").filter(f -> f.equals("1") || f.equals("true")).isPresent()) {
        String accept = call.header("Accept");
        return follow(run.id(), accept != null && accept.contains(NDJSON));
      }
      return HttpReply.text(200, withLiveOutput(run).output());
    }
    TaskDefinition task = angora.task(run.task())
        .orElseThrow(() -> new NotFoundException("task", run.task()));
    try {
      return logFiles.tail(task).map(text -> HttpReply.text(200, text))
          .orElseThrow(() -> new HttpException(404, "task '" + task.name()
              + "' has no log file"));
    } catch (IOException e) {
      throw new HttpException(404, "log file of task '" + task.name() + "' cannot be read");
    }
  }

  /**
   * Streams a run's output until the run has finished: plain text, or with {@code Accept:
   * application/x-ndjson} one JSON object per line ({@code {"stream": "STDOUT", "text": ...}},
   * then {@code {"end": true, "status": ...}}).
   */
  private HttpReply follow(String runId, boolean ndjson) {
    if (!followers.tryAcquire()) {
      throw new HttpException(503, "too many logs followed at once (" + MAX_FOLLOWERS + ")");
    }
    return HttpReply.stream(ndjson ? NDJSON + "; charset=utf-8" : "text/plain; charset=utf-8",
        out -> {
          try {
            new LogFollower(angora, runId, ndjson, FOLLOW_POLL).writeTo(out);
          } finally {
            followers.release();
          }
        }).withHeader("X-Accel-Buffering", "no");
  }

  private HttpReply cancel(HttpCall call) {
    Run run = run(call);
    boolean cancelled = angora.cancel(run.id());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("cancelled", cancelled);
    body.put("run", Views.run(angora.runs().find(run.id()).orElse(run), false));
    return HttpReply.ok(body);
  }
}
