package io.angora.amqp.internal;

import io.angora.api.JobEvent.JobFinished;
import io.angora.api.JobEvent.JobOutput;
import io.angora.api.JobEvent.JobStarted;
import io.angora.api.JobEvent.WorkerHeartbeat;
import io.angora.api.JobEvent;
import io.angora.api.MessageText;
import io.angora.api.OutputChunk;
import io.angora.api.RunStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of a {@link JobEvent} on the {@code results} queue: an object whose {@code type}
 * is {@code started}, {@code finished}, {@code heartbeat} or {@code output}, or a {@code batch}
 * of several {@code finished} events published as one (see {@link OutcomeBatcher}); see the
 * module README. Stateless and thread-safe.
 */
public final class EventCodec {
  /** The most bytes of output one {@code output} event may carry (its chunks together). */
  public static final int MAX_OUTPUT_BYTES = 256 * 1024;
  /** The most events one batch may carry; a reader refuses a larger one. */
  public static final int MAX_BATCH_EVENTS = 256;
  private static final byte[] BATCH_HEAD = ("{\"v\":" + JobCodec.VERSION
      + ",\"type\":\"batch\",\"events\":[").getBytes(StandardCharsets.UTF_8);
  private static final byte[] BATCH_TAIL = "]}".getBytes(StandardCharsets.UTF_8);

  private EventCodec() {}

  /**
   * The body of a batch: the events as {@link #encode} wrote them, spliced into one object
   * without encoding them again.
   *
   * @param encoded 1 to {@value #MAX_BATCH_EVENTS} outcomes, each from {@link #encode}
   * @return UTF-8 JSON
   */
  static byte[] batch(List<byte[]> encoded) {
    if (encoded.isEmpty() || encoded.size() > MAX_BATCH_EVENTS) {
      throw new IllegalArgumentException("a batch has 1 to " + MAX_BATCH_EVENTS + " events, not "
          + encoded.size());
    }
    int size = BATCH_HEAD.length + BATCH_TAIL.length + encoded.size() - 1;
    for (byte[] e : encoded) {
      size += e.length;
    }
    byte[] out = new byte[size];
    System.arraycopy(BATCH_HEAD, 0, out, 0, BATCH_HEAD.length);
    int at = BATCH_HEAD.length;
    for (int i = 0; i < encoded.size(); i++) {
      if (i > 0) {
        out[at++] = ',';
      }
      byte[] e = encoded.get(i);
      System.arraycopy(e, 0, out, at, e.length);
      at += e.length;
    }
    System.arraycopy(BATCH_TAIL, 0, out, at, BATCH_TAIL.length);
    return out;
  }

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
      json.put("startedAt", WireInstants.format(f.startedAt()));
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
    json.put("at", WireInstants.format(event.at()));
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
    JsonObject json;
    try {
      json = JsonObject.parse(body, "event");
    } catch (MalformedDeliveryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new MalformedDeliveryException("invalid event: " + e.getMessage(), e);
    }
    return decode(json, "event");
  }

  /**
   * Decodes what one delivery on the {@code results} queue carries: one event, or the outcomes
   * of a batch in their order.
   *
   * @param body UTF-8 JSON
   * @return one or more events
   * @throws MalformedDeliveryException if the body is not a valid event or batch (a batch with
   *     one bad event is refused whole)
   */
  public static List<JobEvent> decodeAll(byte[] body) {
    JsonObject json;
    try {
      json = JsonObject.parse(body, "event");
      if (!"batch".equals(json.optionalString("type"))) {
        return List.of(decode(json, "event"));
      }
      JobCodec.checkVersion(json, "event");
    } catch (MalformedDeliveryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new MalformedDeliveryException("invalid event: " + e.getMessage(), e);
    }
    List<JsonObject> parts = json.objects("events");
    if (parts.size() > MAX_BATCH_EVENTS) {
      throw new MalformedDeliveryException("event.events has " + parts.size()
          + " events; a batch has at most " + MAX_BATCH_EVENTS);
    }
    List<JobEvent> events = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      JobEvent event = decode(parts.get(i), "event.events[" + i + "]");
      if (!(event instanceof JobFinished)) {
        throw new MalformedDeliveryException("event.events[" + i + "] is not a finished event: "
            + "a batch carries outcomes only");
      }
      events.add(event);
    }
    return events;
  }

  private static JobEvent decode(JsonObject json, String where) {
    String type = "unknown";
    try {
      JobCodec.checkVersion(json, where);
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
        default -> throw new MalformedDeliveryException(where + ".type '" + type
            + "' is unknown");
      };
      return checked(event);
    } catch (MalformedDeliveryException e) {
      throw e;
    } catch (RuntimeException e) {
      // A record's own checks, the id rules, or anything unforeseen: never a crash.
      throw new MalformedDeliveryException("invalid " + type + " event" + (where.equals("event")
          ? "" : " (" + where + ")") + ": " + e.getMessage(), e);
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
