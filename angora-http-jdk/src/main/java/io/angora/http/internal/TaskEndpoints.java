package io.angora.http.internal;

import io.angora.api.NotFoundException;
import io.angora.api.Run;
import io.angora.api.TaskDefinition;
import io.angora.engine.Angora;
import io.angora.http.HttpCall;
import io.angora.http.HttpReply;
import io.angora.http.HttpRoute;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code /api/tasks} endpoints: list, one task, manual run, reload. Thread-safe. */
public final class TaskEndpoints {
  private final Angora angora;
  private final LatestRuns latest;

  /**
   * Creates the endpoints.
   *
   * @param angora the engine
   * @param latest each task's newest run
   */
  public TaskEndpoints(Angora angora, LatestRuns latest) {
    this.angora = angora;
    this.latest = latest;
  }

  /** The routes. */
  public List<HttpRoute> routes() {
    return List.of(
        HttpRoute.get("/api/tasks", call -> {
          Map<String, Instant> next = nextSchedules();
          return HttpReply.ok(angora.tasks().stream().map(task -> view(task, next)).toList());
        }),
        HttpRoute.get("/api/tasks/{name}",
            call -> HttpReply.ok(view(task(call), nextSchedules()))),
        HttpRoute.post("/api/tasks/{name}/run", this::run),
        HttpRoute.post("/api/tasks/reload", call -> reload()));
  }

  private Map<String, Object> view(TaskDefinition task, Map<String, Instant> nextSchedules) {
    return Views.task(task, latest.of(task.name()),
        nextSchedules.get(task.name()));
  }

  /** Once per request: one trigger look-up per schedule, whatever the number of tasks. */
  private Map<String, Instant> nextSchedules() {
    return NextSchedules.byTask(angora.schedules(), angora::tasksTriggeredBy);
  }

  private TaskDefinition task(HttpCall call) {
    String name = call.pathParam("name");
    return angora.task(name).orElseThrow(() -> new NotFoundException("task", name));
  }

  private HttpReply run(HttpCall call) {
    TaskDefinition task = task(call);
    String payload = call.fields().get("payload");
    Run run = angora.run(task.name(), payload);
    return HttpReply.json(202, Views.run(run, true));
  }

  private HttpReply reload() {
    List<TaskDefinition> tasks = angora.reload();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tasks", tasks.size());
    body.put("names", tasks.stream().map(TaskDefinition::name).toList());
    return HttpReply.ok(body);
  }
}
