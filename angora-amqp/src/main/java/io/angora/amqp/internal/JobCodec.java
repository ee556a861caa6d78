package io.angora.amqp.internal;

import io.angora.api.FlowControl;
import io.angora.api.Job;
import io.angora.api.Message;
import io.angora.api.MessageText;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of a {@link Job} on the {@code start} queue; see the module README for the
 * fields. Stateless and thread-safe.
 */
public final class JobCodec {
  /** The format version written in field {@code v}; a reader rejects any other. */
  static final long VERSION = 1;

  /**
   * Tasks encoded lately, by identity: every job of a task carries the same definition, the
   * largest part of a job, and the coordinator keeps one {@link TaskDefinition} per task until
   * a reload. Slots are replaced racily; each holds an immutable pair.
   */
  private static final EncodedTask[] ENCODED = new EncodedTask[64];

  private record EncodedTask(TaskDefinition task, WireJson.Raw json) {}

  /**
   * Tasks decoded lately, by their exact bytes: a worker receives the same definition in every
   * job of a task, and reads it once. A hit needs byte-for-byte equality with bytes decoded and
   * checked before, so it yields exactly what decoding them again would.
   */
  private static final DecodedTask[] DECODED = new DecodedTask[64];

  private record DecodedTask(byte[] json, TaskDefinition task) {}

  private JobCodec() {}

  /**
   * Encodes a job.
   *
   * @param job the job
   * @return UTF-8 JSON
   */
  public static byte[] encode(Job job) {
    Map<String, @Nullable Object> json = new LinkedHashMap<>();
    json.put("v", VERSION);
    json.put("runId", job.runId());
    json.put("attempt", job.attempt());
    json.put("task", encoded(job.task()));
    json.put("message", message(job.message()));
    Job.Failure failed = job.failed();
    if (failed != null) {
      json.put("failed", Map.of("runId", failed.runId(), "status", failed.status().name(),
          "reason", failed.reason()));
    }
    return WireJson.write(json);
  }

  /**
   * Decodes a job.
   *
   * @param body UTF-8 JSON
   * @return the job
   * @throws MalformedDeliveryException if the body is not a valid job
   */
  public static Job decode(byte[] body) {
    try {
      JsonObject json = JsonObject.parse(body, "job", "task");
      checkVersion(json, "job");
      Job job = new Job(MessageText.checkId("job.runId", json.string("runId")),
          decoded(json.slice("task")), MessageText.check(message(json.object("message"))),
          json.integer("attempt"), json.has("failed") ? failure(json.object("failed")) : null);
      MessageText.checkTaskName(job.task().name());
      return job;
    } catch (MalformedDeliveryException e) {
      throw e;
    } catch (RuntimeException e) {
      // A record's own checks, the message rules, or anything unforeseen: never a crash.
      throw new MalformedDeliveryException("invalid job: " + e.getMessage(), e);
    }
  }

  private static WireJson.Raw encoded(TaskDefinition task) {
    int slot = System.identityHashCode(task) & (ENCODED.length - 1);
    EncodedTask cached = ENCODED[slot];
    if (cached != null && cached.task() == task) {
      return cached.json();
    }
    WireJson.Raw json = WireJson.Raw.of(task(task));
    ENCODED[slot] = new EncodedTask(task, json);
    return json;
  }

  private static TaskDefinition decoded(WireJson.Slice slice) {
    int slot = slice.hash() & (DECODED.length - 1);
    DecodedTask cached = DECODED[slot];
    if (cached != null && slice.sameAs(cached.json())) {
      return cached.task();
    }
    TaskDefinition task = task(JsonObject.parseSlice(slice, "job.task"));
    MessageText.checkTaskName(task.name());
    DECODED[slot] = new DecodedTask(slice.bytes(), task);
    return task;
  }

  private static Job.Failure failure(JsonObject json) {
    String status = json.string("status");
    RunStatus parsed = switch (status) {
      case "FAILED" -> RunStatus.FAILED;
      case "TIMED_OUT" -> RunStatus.TIMED_OUT;
      default -> throw new MalformedDeliveryException("job.failed.status '" + status
          + "' is neither FAILED nor TIMED_OUT");
    };
    return new Job.Failure(json.string("runId"), parsed, json.string("reason"));
  }

  static void checkVersion(JsonObject json, String where) {
    int v = json.integer("v");
    if (v != VERSION) {
      throw new MalformedDeliveryException(where + " has format version " + v + ", expected "
          + VERSION);
    }
  }

  private static Map<String, @Nullable Object> task(TaskDefinition task) {
    Map<String, @Nullable Object> json = new LinkedHashMap<>();
    json.put("name", task.name());
    json.put("triggers", task.triggers());
    json.put("command", task.command());
    json.put("log", task.log());
    json.put("messages", task.messages());
    json.put("replay", task.replay());
    json.put("parentSuccess", task.parentSuccess());
    Duration timeout = task.timeout();
    json.put("timeout", timeout == null ? null : timeout.toString());
    json.put("env", task.env());
    json.put("onFailure", task.onFailure());
    json.put("flow", flow(task.flow()));
    json.put("origin", task.origin());
    return json;
  }

  private static Map<String, @Nullable Object> flow(FlowControl flow) {
    Map<String, @Nullable Object> json = new LinkedHashMap<>();
    json.put("concurrency", flow.concurrency());
    FlowControl.Group group = flow.group();
    json.put("group", group == null ? null : Map.of("name", group.name(), "limit", group.limit()));
    json.put("overflow", flow.overflow().yaml());
    FlowControl.Rate rate = flow.rate();
    json.put("rate", rate == null ? null
        : Map.of("count", rate.count(), "period", rate.period().toString()));
    json.put("priority", flow.priority());
    return json;
  }

  /** A job from a coordinator that knew no flow control has none. */
  private static FlowControl flow(JsonObject task) {
    if (!task.has("flow")) {
      return FlowControl.NONE;
    }
    JsonObject json = task.object("flow");
    JsonObject group = json.has("group") ? json.object("group") : null;
    JsonObject rate = json.has("rate") ? json.object("rate") : null;
    String overflow = json.string("overflow");
    return new FlowControl(json.integer("concurrency"),
        group == null ? null : new FlowControl.Group(group.string("name"), group.integer("limit")),
        switch (overflow) {
          case "queue" -> FlowControl.Overflow.QUEUE;
          case "skip" -> FlowControl.Overflow.SKIP;
          default -> throw new MalformedDeliveryException("job.task.flow.overflow '" + overflow
              + "' is neither queue nor skip");
        },
        rate == null ? null : new FlowControl.Rate(rate.integer("count"),
            java.util.Objects.requireNonNull(rate.optionalDuration("period"), "rate.period")),
        json.integer("priority"));
  }

  private static TaskDefinition task(JsonObject json) {
    return new TaskDefinition(json.string("name"), json.strings("triggers"),
        json.string("command"), json.optionalString("log"), json.strings("messages"),
        json.integer("replay"), json.bool("parentSuccess"), json.optionalDuration("timeout"),
        json.stringMap("env"), json.has("onFailure") ? json.strings("onFailure") : List.of(),
        flow(json), json.optionalString("origin"));
  }

  private static Map<String, @Nullable Object> message(Message message) {
    Map<String, @Nullable Object> json = new LinkedHashMap<>();
    json.put("id", message.id());
    json.put("text", message.text());
    json.put("payload", message.payload());
    json.put("workflowId", message.workflowId());
    json.put("parentRunId", message.parentRunId());
    json.put("task", message.task());
    json.put("sentAt", WireInstants.format(message.sentAt()));
    return json;
  }

  private static Message message(JsonObject json) {
    return new Message(json.string("id"), json.string("text"), json.optionalString("payload"),
        json.string("workflowId"), json.optionalString("parentRunId"),
        json.optionalString("task"), json.instant("sentAt"));
  }
}
