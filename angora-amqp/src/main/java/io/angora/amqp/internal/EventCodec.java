package io.angora.amqp.internal;

import io.angora.api.JobEvent.JobFinished;
import io.angora.api.JobEvent.JobOutput;
import io.angora.api.JobEvent.JobStarted;
import io.angora.api.JobEvent.WorkerHeartbeat;
import io.angora.api.JobEvent;
import io.angora.api.MessageText;
import io.angora.api.OutputChunk;
import io.angora.api.RunStatus;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of a {@link JobEvent} on the {@code results} queue: an object whose {@code type}
 * is {@code started}, {@code finished}, {@code heartbeat} or {@code output}; see the module
 * README. Stateless and thread-safe.
 */
public final class EventCodec {
  /** The most bytes of output one {@code output} event may carry (its chunks together). */
  public static final int MAX_OUTPUT_BYTES = 256 * 1024;
  private EventCodec() {}

  /**
   * Encodes an event.
   *
   * @param event the event
   * @return UTF-8 JSON
   */
  public static byte[] encode(JobEvent event) {
    Map<String, @Nullable Object> json = new LinkedHashMap<>();
    json.put("v", JobCodec.VERSION);
    if (event instanceof JobStarted s) {
      json.put("type", "started");
      json.put("runId", s.runId());
      json.put("task", s.task());
    } else if (event instanceof JobFinished f) {
      json.put("type", "finished");
      json.put("runId", f.runId());
      json.put("task", f.task());
      json.put("status", f.status().name());
      json.put("exitCode", f.exitCode());
      json.put("reason", f.reason());
      json.put("output", f.output());
      json.put("startedAt", f.startedAt().toString());
    } else if (event instanceof WorkerHeartbeat h) {
      json.put("type", "heartbeat");
      json.put("host", h.host());
      json.put("concurrency", h.concurrency());
      json.put("runIds", h.runIds());
    } else if (event instanceof JobOutput o) {
      json.put("type", "output");
      json.put("runId", o.runId());
      json.put("task", o.task());
      List<Map<String, Object>> chunks = new ArrayList<>(o.chunks().size());
      for (OutputChunk chunk : o.chunks()) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("stream", chunk.stream().name());
        item.put("offset", chunk.offset());
        item.put("data", Base64.getEncoder().encodeToString(chunk.bytes()));
        chunks.add(item);
      }
      json.put("chunks", chunks);
    }
    json.put("worker", event.worker());
    json.put("at", event.at().toString());
    return WireJson.write(json);
  }

  /**
   * Decodes an event.
   *
   * @param body UTF-8 JSON
   * @return the event
   * @throws MalformedDeliveryException if the body is not a valid event
   */
  public static JobEvent decode(byte[] body) {
    String type = "unknown";
    try {
      JsonObject json = JsonObject.parse(body, "event");
      JobCodec.checkVersion(json, "event");
      type = json.string("type");
      JobEvent event = switch (type) {
        case "started" -> new JobStarted(json.string("runId"), json.string("task"),
            json.string("worker"), json.instant("at"));
        case "finished" -> new JobFinished(json.string("runId"), json.string("task"),
            status(json.string("status")), json.optionalInteger("exitCode"),
            json.optionalString("reason"), json.string("output"), json.string("worker"),
            json.instant("startedAt"), json.instant("at"));
        case "heartbeat" -> new WorkerHeartbeat(json.string("worker"), json.string("host"),
            json.integer("concurrency"), json.strings("runIds"), json.instant("at"));
        case "output" -> new JobOutput(json.string("runId"), json.string("task"),
            chunks(json.objects("chunks")), json.string("worker"), json.instant("at"));
        default -> throw new MalformedDeliveryException("event.type '" + type + "' is unknown");
      };
      return checked(event);
    } catch (MalformedDeliveryException e) {
      throw e;
    } catch (RuntimeException e) {
      // A record's own checks, the id rules, or anything unforeseen: never a crash.
      throw new MalformedDeliveryException("invalid " + type + " event: " + e.getMessage(), e);
    }
  }

  private static JobEvent checked(JobEvent event) {
    MessageText.checkId("event.worker", event.worker());
    if (event instanceof JobStarted s) {
      MessageText.checkId("event.runId", s.runId());
      MessageText.checkTaskName(s.task());
    } else if (event instanceof JobFinished f) {
      MessageText.checkId("event.runId", f.runId());
      MessageText.checkTaskName(f.task());
    } else if (event instanceof WorkerHeartbeat h) {
      MessageText.checkId("event.host", h.host());
      h.runIds().forEach(id -> MessageText.checkId("event.runIds", id));
    } else if (event instanceof JobOutput o) {
      MessageText.checkId("event.runId", o.runId());
      MessageText.checkTaskName(o.task());
    }
    return event;
  }

  private static List<OutputChunk> chunks(List<JsonObject> items) {
    List<OutputChunk> chunks = new ArrayList<>(items.size());
    long total = 0;
    for (JsonObject item : items) {
      OutputChunk.Stream stream = stream(item.string("stream"));
      long offset = item.count("offset");
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(item.string("data"));
      } catch (IllegalArgumentException e) {
        throw new MalformedDeliveryException("event.chunks[" + chunks.size()
            + "].data is not base64", e);
      }
      total += bytes.length;
      if (total > MAX_OUTPUT_BYTES) {
        throw new MalformedDeliveryException("event.chunks carry more than " + MAX_OUTPUT_BYTES
            + " bytes of output");
      }
      chunks.add(new OutputChunk(stream, offset, bytes));
    }
    return chunks;
  }

  private static OutputChunk.Stream stream(String name) {
    try {
      return OutputChunk.Stream.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new MalformedDeliveryException("event.chunks.stream '" + name + "' is unknown", e);
    }
  }

  private static RunStatus status(String name) {
    try {
      return RunStatus.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new MalformedDeliveryException("event.status '" + name + "' is unknown", e);
    }
  }
}
