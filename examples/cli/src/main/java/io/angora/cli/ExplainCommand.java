package io.angora.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.angora.api.MessageText;
import io.angora.api.RunStore;
import io.angora.api.TaskDefinition;
import io.angora.engine.YamlTaskSource;
import io.angora.engine.explain.Explainer;
import io.angora.engine.explain.Explanation;
import io.angora.engine.schedule.Schedule;
import io.angora.engine.schedule.YamlScheduleSource;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code angora explain MSG}: what a message would do, without sending it. Reads the task files
 * and {@code schedules.yml} (and a stopped installation's run store with {@code --store}), or
 * asks a running Angora's {@code /api/explain} ({@code --url}, or {@code ANGORA_URL} when
 * neither {@code --tasks} nor {@code --store} is given). Exit 0 when it triggers a task, 1 when none or on an error.
 */
final class ExplainCommand {
  /** The API writes instants as ISO-8601 strings ({@code Instant.toString}). */
  private static final JsonDeserializer<Instant> INSTANTS = new JsonDeserializer<>() {
    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      return Instant.parse(parser.getValueAsString());
    }
  };

  private ExplainCommand() {}

  static int run(List<String> argv, PrintStream out, PrintStream err)
      throws InterruptedException {
    Args args = Args.parse(argv, Set.of("tasks", "workflow", "depth", "store", "url", "token",
        "token-file", "task"), Set.of());
    Optional<String> task = args.get("task");
    if (args.positional().size() != (task.isPresent() ? 0 : 1)) {
      throw new Args.UsageException("explain needs exactly one message, or --task NAME alone");
    }
    int depth = args.intValue("depth", 1);
    String text = task.isPresent() ? null : args.positional().get(0).strip();
    String workflow = args.get("workflow").orElse(null);
    try {
      if (text != null) {
        MessageText.checkMessage(text);
      }
      if (workflow != null) {
        MessageText.checkId("workflow id", workflow);
      }
      task.ifPresent(t -> MessageText.checkId("task", t));
      if (depth < 1 || depth > Explainer.MAX_DEPTH) {
        throw new IllegalArgumentException("--depth must be 1 to " + Explainer.MAX_DEPTH);
      }
    } catch (IllegalArgumentException e) {
      throw new Args.UsageException(e.getMessage());
    }
    String fromEnv = System.getenv("ANGORA_URL");
    Optional<String> url = args.get("url").or(() -> args.get("tasks").isEmpty()
        && args.get("store").isEmpty() && fromEnv != null && !fromEnv.isBlank()
        ? Optional.of(fromEnv) : Optional.empty());
    Explanation explained;
    if (url.isPresent()) {
      if (args.get("tasks").isPresent() || args.get("store").isPresent()) {
        throw new Args.UsageException("--url asks a running Angora, which has its own tasks and "
            + "store: give --url or --tasks/--store, not both");
      }
      explained = remote(url.get().replaceAll("/+$", ""), text, task.orElse(null), workflow,
          depth, args, err);
      if (explained == null) {
        return 1;
      }
    } else {
      explained = local(args, text, task.orElse(null), workflow, depth);
    }
    out.print(ExplainText.render(explained));
    return explained.triggersNothing() ? 1 : 0;
  }

  private static Explanation local(Args args, @Nullable String text, @Nullable String task,
      @Nullable String workflow, int depth) {
    Path dir = Path.of(args.get("tasks", "tasks"));
    List<TaskDefinition> tasks = YamlTaskSource.directory(dir).load();
    List<Schedule> schedules = YamlScheduleSource.inDirectory(dir).load();
    Optional<String> storeSpec = args.get("store");
    if (storeSpec.isPresent() && !storeSpec.get().startsWith("jdbc:")
        && !storeSpec.get().equals("memory") && !Files.isRegularFile(Path.of(storeSpec.get()))) {
      throw new Args.UsageException("--store " + storeSpec.get() + ": no such file");
    }
    try (RunStore store = storeSpec.map(Stores::open).orElse(null)) {
      Explainer explainer = Explainer.of(tasks, schedules, store, Instant.now());
      return task != null ? explainer.explainRun(task, depth)
          : explainer.explain(java.util.Objects.requireNonNull(text), workflow, depth);
    }
  }

  private static @Nullable Explanation remote(String url, @Nullable String text,
      @Nullable String task, @Nullable String workflow, int depth, Args args, PrintStream err)
      throws InterruptedException {
    StringBuilder query = new StringBuilder(task != null ? "task=" + ApiCall.encode(task)
        : "msg=" + ApiCall.encode(java.util.Objects.requireNonNull(text)));
    if (workflow != null) {
      query.append("&workflow=").append(ApiCall.encode(workflow));
    }
    query.append("&depth=").append(depth);
    HttpRequest request = ApiCall.request(url, "/api/explain?" + query, args, err).GET()
        .build();
    try {
      HttpResponse<String> response = ApiCall.send(request);
      if (response.statusCode() != 200) {
        err.println("angora: " + url + "/api/explain answered " + response.statusCode() + ": "
            + response.body());
        return null;
      }
      return new ObjectMapper()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .registerModule(new SimpleModule().addDeserializer(Instant.class, INSTANTS))
          .readValue(response.body(), Explanation.class);
    } catch (IOException e) {
      err.println("angora: cannot reach " + url + " or read its answer: " + e);
      return null;
    }
  }

}
