package io.angora.http.internal;

import io.angora.api.NotFoundException;
import io.angora.api.Run;
import io.angora.api.RunPage;
import io.angora.api.RunQuery;
import io.angora.api.TaskDefinition;
import io.angora.engine.Angora;
import io.angora.http.HttpCall;
import io.angora.http.HttpException;
import io.angora.http.HttpReply;
import io.angora.http.HttpRoute;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code /api/runs} endpoints: query, one run, its log, replay, cancel. Thread-safe. */
public final class RunEndpoints {
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
        HttpRoute.get("/api/runs/{id}", call -> HttpReply.ok(Views.run(run(call), true))),
        HttpRoute.get("/api/runs/{id}/log", this::log),
        HttpRoute.post("/api/runs/{id}/replay", call -> HttpReply.json(202,
            Views.run(angora.replay(run(call).id()), true))),
        HttpRoute.post("/api/runs/{id}/cancel", this::cancel));
  }

  private HttpReply query(HttpCall call) {
    // Ids sort by time, so "before" is a keyset cursor: no offset to skip over.
    RunQuery query = new RunQuery(call.query("task").orElse(null), Params.status(call),
        Params.optionalId(call, "workflow"), Params.optionalId(call, "before"),
        Params.limit(call, 50));
    RunPage page = angora.runs().query(query);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("runs", page.runs().stream().map(r -> Views.run(r, false)).toList());
    body.put("next", page.next());
    return HttpReply.ok(body);
  }

  private Run run(HttpCall call) {
    String id = Params.id("run", call.pathParam("id"));
    return angora.runs().find(id).orElseThrow(() -> new NotFoundException("run", id));
  }

  private HttpReply log(HttpCall call) {
    Run run = run(call);
    if (!call.query("source").orElse("run").equals("file")) {
      return HttpReply.text(200, run.output());
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

  private HttpReply cancel(HttpCall call) {
    Run run = run(call);
    boolean cancelled = angora.cancel(run.id());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("cancelled", cancelled);
    body.put("run", Views.run(angora.runs().find(run.id()).orElse(run), false));
    return HttpReply.ok(body);
  }
}
