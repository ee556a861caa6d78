package io.angora.http.internal;

import io.angora.engine.Angora;
import io.angora.engine.Role;
import io.angora.engine.schedule.Firing;
import io.angora.engine.schedule.ScheduleStatus;
import io.angora.http.HttpReply;
import io.angora.http.HttpRoute;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The schedules the coordinator fires: {@code GET /api/schedules} with next and last fire
 * times and the last messages each sent, {@code POST /api/schedules/{name}/pause} and
 * {@code .../resume}. A worker-only engine has none. Thread-safe.
 */
public final class ScheduleEndpoints {
  private final Angora angora;

  /**
   * Creates the endpoints.
   *
   * @param angora the engine
   */
  public ScheduleEndpoints(Angora angora) {
    this.angora = angora;
  }

  /** The routes. */
  public List<HttpRoute> routes() {
    return List.of(
        HttpRoute.get("/api/schedules", call -> HttpReply.ok(angora.role() == Role.WORKER
            ? List.of() : angora.schedules().stream().map(ScheduleEndpoints::view).toList())),
        HttpRoute.post("/api/schedules/{name}/pause",
            call -> HttpReply.ok(view(angora.pauseSchedule(call.pathParam("name"))))),
        // Resuming a schedule paused by its file is an IllegalStateException: 409.
        HttpRoute.post("/api/schedules/{name}/resume",
            call -> HttpReply.ok(view(angora.resumeSchedule(call.pathParam("name"))))));
  }

  /**
   * A schedule's JSON shape.
   *
   * @param status the schedule as the coordinator runs it
   * @return the JSON object
   */
  static Map<String, Object> view(ScheduleStatus status) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", status.name());
    m.put("timing", status.schedule().timing().describe());
    m.put("zone", status.schedule().zone().getId());
    m.put("message", status.schedule().message());
    m.put("payload", status.schedule().payload());
    m.put("misfire", status.schedule().misfire().fileName());
    m.put("paused", status.paused());
    m.put("pausedInFile", status.schedule().paused());
    m.put("nextFire", status.nextFire());
    m.put("lastFire", status.lastFire());
    m.put("origin", status.schedule().origin());
    m.put("recent", status.recent().stream().map(ScheduleEndpoints::firing).toList());
    return m;
  }

  private static Map<String, Object> firing(Firing firing) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fireTime", firing.fireTime());
    m.put("messageId", firing.messageId());
    m.put("text", firing.text());
    m.put("sentAt", firing.sentAt());
    m.put("catchUp", firing.catchUp());
    m.put("error", firing.error());
    return m;
  }
}
