package io.angora.http.internal;

import io.angora.api.Message;
import io.angora.api.MessageText;
import io.angora.api.TaskDefinition;
import io.angora.api.TransportException;
import io.angora.engine.Angora;
import io.angora.engine.Role;
import io.angora.engine.explain.NearestTrigger;
import io.angora.http.HttpCall;
import io.angora.http.HttpException;
import io.angora.http.HttpReply;
import io.angora.http.HttpRoute;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /send}: the original's {@code curl -d "msg=..."} form, or JSON. Answers 202 only
 * once the transport has accepted the message, with the number of tasks it triggers
 * ({@code tasks}) and, when none, a {@code warning} naming the nearest trigger. Thread-safe.
 */
public final class SendEndpoint {
  private static final long ACCEPT_TIMEOUT_SECONDS = 10;

  private final Angora angora;

  /**
   * Creates the endpoint.
   *
   * @param angora the engine
   */
  public SendEndpoint(Angora angora) {
    this.angora = angora;
  }

  /** The route. */
  public List<HttpRoute> routes() {
    return List.of(HttpRoute.post("/send", this::send));
  }

  private HttpReply send(HttpCall call) {
    Map<String, String> fields = call.fields();
    String text = fields.get("msg");
    if (text == null) {
      throw new HttpException(400, "missing 'msg': send msg=<message> as a form field or "
          + "{\"msg\": \"<message>\"} as JSON");
    }
    // The rules every entry point shares; a broken one is a 400 naming the field.
    MessageText.checkMessage(text);
    String payload = MessageText.checkPayload(fields.get("payload"));
    String workflow = fields.get("workflow");
    if (workflow != null) {
      MessageText.checkId("workflow id", workflow);
    }
    Message sent = await(text, payload, workflow);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("messageId", sent.id());
    body.put("workflowId", sent.workflowId());
    if (angora.role() != Role.WORKER) {
      // Accepted either way (a task may be added later), but a typo is said out loud.
      List<TaskDefinition> triggered = angora.tasksTriggeredBy(text);
      body.put("tasks", triggered.size());
      if (triggered.isEmpty()) {
        Optional<String> nearest = NearestTrigger.to(text, angora.tasks());
        body.put("warning", "no task has a trigger matching '" + text + "'"
            + nearest.map(t -> "; the nearest trigger is '" + t + "'").orElse(""));
        body.put("nearestTrigger", nearest.orElse(null));
      }
    }
    return HttpReply.json(202, body);
  }

  private Message await(String text, @Nullable String payload, @Nullable String workflow) {
    try {
      return angora.sendAsync(text, payload, workflow)
          .get(ACCEPT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new TransportException("message '" + text + "' not accepted: "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new TransportException("message '" + text + "' not accepted within "
          + ACCEPT_TIMEOUT_SECONDS + "s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpException(503, "server is stopping");
    }
  }
}
