package io.angora.http.internal;

import io.angora.api.MessageText;
import io.angora.engine.Angora;
import io.angora.engine.explain.Explainer;
import io.angora.engine.explain.Explanation;
import io.angora.http.HttpCall;
import io.angora.http.HttpException;
import io.angora.http.HttpReply;
import io.angora.http.HttpRoute;
import java.util.List;

/**
 * {@code GET /api/explain?msg=&workflow=&depth=} (or {@code ?task=} for a manual run): what a
 * message would do, as the engine's {@link Explanation}, without sending, running or recording
 * anything. Thread-safe.
 */
public final class ExplainEndpoint {
  private final Angora angora;

  /**
   * Creates the endpoint.
   *
   * @param angora the engine
   */
  public ExplainEndpoint(Angora angora) {
    this.angora = angora;
  }

  /** The route. */
  public List<HttpRoute> routes() {
    return List.of(HttpRoute.get("/api/explain", this::explain));
  }

  private HttpReply explain(HttpCall call) {
    String text = call.query("msg").orElse(null);
    String task = call.query("task").orElse(null);
    if ((text == null) == (task == null)) {
      throw new HttpException(400, "give either 'msg' (a message to explain) or 'task' (a "
          + "manual run to explain): /api/explain?msg=example.step.1");
    }
    int depth = depth(call);
    if (task != null) {
      MessageText.checkId("task", task);
      return HttpReply.ok(angora.explainRun(task, depth));
    }
    // The rules every entry point shares; a broken one is a 400 naming the field.
    MessageText.checkMessage(text);
    String workflow = call.query("workflow").orElse(null);
    if (workflow != null) {
      MessageText.checkId("workflow id", workflow);
    }
    return HttpReply.ok(angora.explain(text, workflow, depth));
  }

  private static int depth(HttpCall call) {
    String raw = call.query("depth").orElse(null);
    if (raw == null) {
      return 1;
    }
    try {
      int depth = Integer.parseInt(raw);
      if (depth >= 1 && depth <= Explainer.MAX_DEPTH) {
        return depth;
      }
    } catch (NumberFormatException e) {
      // answered below, like an out-of-range number
    }
    throw new HttpException(400, "depth must be a whole number from 1 to " + Explainer.MAX_DEPTH
        + ": '" + raw.substring(0, Math.min(raw.length(), 20)) + "'");
  }
}
