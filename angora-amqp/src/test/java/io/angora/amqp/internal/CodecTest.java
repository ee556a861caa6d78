package io.angora.amqp.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;
import io.angora.api.FlowControl;
import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.Message;
import io.angora.api.OutputChunk;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecTest {
  private static final Instant T = Instant.parse("2026-11-30T05:00:00.123456789Z");
  private final Clock clock = Clock.fixed(T, ZoneOffset.UTC);

  @Test
  void jobRoundTripsWithEveryField() {
    TaskDefinition task = TaskDefinition.builder("step \"1\"").triggers("a.*", "#")
        .command("echo \"HELLO\" 'x' $HOME").log("/tmp/logs").messages("b", "c").replay(-1)
        .parentSuccess(true).timeout(Duration.ofMillis(1500)).env("K", "v\nw").origin("f.yml:3")
        .build();
    Job job = new Job("run-1", task, new Message("m", "a.b", "pay\nload\u00e9", "wf", "p", "t", T),
        7);
    assertThat(JobCodec.decode(JobCodec.encode(job))).isEqualTo(job);
  }

  @Test
  void aTaskReadOnceIsReadAgainOnlyFromTheSameBytes() {
    TaskDefinition task = TaskDefinition.builder("t").triggers("a").command("one").build();
    Message message = new Message("m", "a", null, "wf", null, null, T);
    byte[] first = JobCodec.encode(new Job("run-1", task, message, 1));
    assertThat(JobCodec.encode(new Job("run-1", task, message, 1))).isEqualTo(first);
    assertThat(JobCodec.decode(first).task().command()).isEqualTo("one");
    // Same length, one byte different: a different task, not the one read before.
    byte[] other = new String(first, UTF_8).replace("\"one\"", "\"two\"").getBytes(UTF_8);
    assertThat(JobCodec.decode(other).task().command()).isEqualTo("two");
    assertThat(JobCodec.decode(first).task().command()).isEqualTo("one");
    // A task that breaks the rules is refused however often a valid one came before.
    byte[] duplicate = new String(first, UTF_8)
        .replace("\"command\":\"one\"", "\"command\":\"one\",\"command\":\"x\"")
        .getBytes(UTF_8);
    assertThatThrownBy(() -> JobCodec.decode(duplicate))
        .isInstanceOf(MalformedDeliveryException.class);
    WireJson.Slice slice = (WireJson.Slice) ((Map<?, ?>) WireJson.parse(first, "task"))
        .get("task");
    String text = new String(first, UTF_8);
    byte[] notAnObject = (text.substring(0, slice.start()) + "\"t\"" + text.substring(slice.end()))
        .getBytes(UTF_8);
    assertThatThrownBy(() -> JobCodec.decode(notAnObject))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageContaining("job.task");
  }

  @Test
  void aSliceIsExactlyTheObjectsBytes() {
    byte[] json = "{\"a\":1,\"task\":{\"x\":[1,{\"y\":\"}\"}],\"z\":null},\"b\":2}"
        .getBytes(UTF_8);
    Map<?, ?> parsed = (Map<?, ?>) WireJson.parse(json, "task");
    WireJson.Slice slice = (WireJson.Slice) parsed.get("task");
    assertThat(new String(slice.bytes(), UTF_8)).isEqualTo("{\"x\":[1,{\"y\":\"}\"}],\"z\":null}");
    assertThat(parsed.get("b")).isEqualTo(2L);
    assertThatThrownBy(() -> WireJson.parse("{\"task\":{\"x\":1,\"x\":2}}".getBytes(UTF_8),
        "task")).isInstanceOf(MalformedDeliveryException.class);
  }

  @Test
  void jobRoundTripsWithFlowControlAndOnFailure() {
    TaskDefinition task = TaskDefinition.builder("t").triggers("a").command("c")
        .onFailure("a.failed", "b.failed").concurrency(3).concurrencyGroup("db", 2)
        .overflow(FlowControl.Overflow.SKIP).rate(10, Duration.ofMinutes(1)).priority(7).build();
    Job job = new Job("run-1", task, new Message("m", "a", null, "wf", null, null, T), 1);
    Job decoded = JobCodec.decode(JobCodec.encode(job));
    assertThat(decoded).isEqualTo(job);
    assertThat(decoded.task().flow().rate()).hasToString("10/min");
  }

  @Test
  void aJobWithoutFlowFieldsFromAnOlderCoordinatorHasNone() {
    TaskDefinition task = TaskDefinition.builder("t").triggers("a").command("c").build();
    Job job = new Job("run-1", task, new Message("m", "a", null, "wf", null, null, T), 1);
    String json = new String(JobCodec.encode(job), UTF_8)
        .replace(",\"onFailure\":[]", "").replaceAll(",\"flow\":\\{[^}]*\\}", "");
    assertThat(json).doesNotContain("\"flow\"").doesNotContain("onFailure");
    assertThat(JobCodec.decode(json.getBytes(UTF_8))).isEqualTo(job);
    assertThatThrownBy(() -> JobCodec.decode(new String(JobCodec.encode(job), UTF_8)
        .replace("\"queue\"", "\"later\"").getBytes(UTF_8)))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageContaining("later");
  }

  @Test
  void eventsRoundTrip() {
    List<JobEvent> events = List.of(new JobEvent.JobStarted("r", "t", "w", T),
        new JobEvent.JobFinished("r", "t", RunStatus.CANCELLED, null, "why", "out", "w", T,
            T.plusSeconds(1)),
        new JobEvent.WorkerHeartbeat("w", "h", 3, List.of("a", "b"), T),
        new JobEvent.JobOutput("r", "t", List.of(
            new OutputChunk(OutputChunk.Stream.STDOUT, 5, new byte[] {'a', (byte) 0xe2}),
            new OutputChunk(OutputChunk.Stream.STDERR, 7, new byte[] {(byte) 0x82, 0})),
            "w", T));
    for (JobEvent e : events) {
      assertThat(EventCodec.decode(EventCodec.encode(e))).isEqualTo(e);
    }
  }

  @Test
  void aBatchOfOutcomesDecodesInOrderAndOneEventAlone() {
    JobEvent.JobFinished one = new JobEvent.JobFinished("r1", "t", RunStatus.SUCCEEDED, 0, null,
        "", "w", T, T);
    JobEvent.JobFinished two = new JobEvent.JobFinished("r2", "t", RunStatus.FAILED, 3, "why",
        "out \"quoted\"\n", "w", T, T.plusSeconds(1));
    byte[] batch = EventCodec.batch(List.of(EventCodec.encode(one), EventCodec.encode(two)));
    assertThat(EventCodec.decodeAll(batch)).containsExactly(one, two);
    assertThat(EventCodec.decodeAll(EventCodec.encode(one))).containsExactly(one);
    assertThatThrownBy(() -> EventCodec.decode(batch))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageContaining("batch");
  }

  @Test
  void badBatchesAreMalformedWhole() {
    String ok = new String(EventCodec.encode(new JobEvent.JobFinished("r1", "t",
        RunStatus.SUCCEEDED, 0, null, "", "w", T, T)), UTF_8);
    String head = "{\"v\":1,\"type\":\"batch\",\"events\":";
    assertThatThrownBy(() -> EventCodec.decodeAll((head + "[]}").getBytes(UTF_8)))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageContaining("event.events");
    assertThatThrownBy(() -> EventCodec.decodeAll((head + "[" + ok + ","
        + ok.replace("\"r1\"", "\"../x\"") + "]}").getBytes(UTF_8)))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageContaining("event.events[1]");
    String started = new String(EventCodec.encode(new JobEvent.JobStarted("r", "t", "w", T)),
        UTF_8);
    assertThatThrownBy(() -> EventCodec.decodeAll((head + "[" + ok + "," + started + "]}")
        .getBytes(UTF_8))).isInstanceOf(MalformedDeliveryException.class)
        .hasMessageContaining("outcomes only");
    assertThatThrownBy(() -> EventCodec.decodeAll((head + "[" + (head + "[" + ok + "]}") + "]}")
        .getBytes(UTF_8))).isInstanceOf(MalformedDeliveryException.class);
    String many = String.join(",", java.util.Collections.nCopies(
        EventCodec.MAX_BATCH_EVENTS + 1, ok));
    assertThatThrownBy(() -> EventCodec.decodeAll((head + "[" + many + "]}").getBytes(UTF_8)))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageContaining("at most");
    assertThatThrownBy(() -> EventCodec.decodeAll(head.replace("1", "2").concat("[" + ok + "]}")
        .getBytes(UTF_8))).isInstanceOf(MalformedDeliveryException.class)
        .hasMessageContaining("version");
  }

  @Test
  void badOutputEventsAreMalformed() {
    String output = "{\"v\":1,\"type\":\"output\",\"runId\":\"r\",\"task\":\"t\","
        + "\"chunks\":CHUNKS,\"worker\":\"w\",\"at\":\"" + T + "\"}";
    String ok = "{\"stream\":\"STDOUT\",\"offset\":0,\"data\":\"aGk=\"}";
    assertThat(EventCodec.decode(output.replace("CHUNKS", "[" + ok + "]").getBytes(UTF_8)))
        .isInstanceOf(JobEvent.JobOutput.class);
    assertThatThrownBy(() -> EventCodec.decode(output.replace("CHUNKS", "[]").getBytes(UTF_8)))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageContaining("event.chunks");
    assertThatThrownBy(() -> EventCodec.decode(output.replace("CHUNKS",
        "[" + ok.replace("aGk=", "*not base64*") + "]").getBytes(UTF_8)))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageContaining("base64");
    assertThatThrownBy(() -> EventCodec.decode(output.replace("CHUNKS",
        "[" + ok.replace(":0", ":-1") + "]").getBytes(UTF_8)))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageContaining("offset");
    assertThatThrownBy(() -> EventCodec.decode(output.replace("CHUNKS",
        "[" + ok.replace("STDOUT", "STDIN") + "]").getBytes(UTF_8)))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageContaining("STDIN");
    assertThatThrownBy(() -> EventCodec.decode(output.replace("CHUNKS",
        "[" + ok + "," + ok + "]").getBytes(UTF_8)))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageContaining("overlaps");
    String big = java.util.Base64.getEncoder().encodeToString(
        new byte[EventCodec.MAX_OUTPUT_BYTES + 1]);
    assertThatThrownBy(() -> EventCodec.decode(output.replace("CHUNKS",
        "[" + ok.replace("aGk=", big) + "]").getBytes(UTF_8)))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageContaining("more than");
  }

  @Test
  void badJobsAndEventsAreMalformed() {
    assertThatThrownBy(() -> JobCodec.decode(new byte[] {(byte) 0xff}))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageContaining("UTF-8");
    assertThatThrownBy(() -> JobCodec.decode("{\"v\":1,\"runId\":\"r\",\"attempt\":0,\"task\":{},"
        .concat("\"message\":{}}").getBytes(UTF_8)))
        .isInstanceOf(MalformedDeliveryException.class);
    String finished = "{\"v\":1,\"type\":\"finished\",\"runId\":\"r\",\"task\":\"t\","
        + "\"status\":\"RUNNING\",\"output\":\"\",\"worker\":\"w\",\"startedAt\":\"" + T
        + "\",\"at\":\"" + T + "\"}";
    assertThatThrownBy(() -> EventCodec.decode(finished.getBytes(UTF_8)))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageContaining("not final");
    assertThatThrownBy(() -> EventCodec.decode(finished.replace("RUNNING", "EXPLODED")
        .getBytes(UTF_8))).isInstanceOf(MalformedDeliveryException.class)
        .hasMessageContaining("EXPLODED");
  }

  @Test
  void messageRoundTripsThroughHeadersAsTheBrokerDeliversThem() {
    Message m = new Message("id-1", "example.step.1", "p", "wf", "parent", "task", T);
    AMQP.BasicProperties sent = MessageCodec.properties(m);
    assertThat(sent.getDeliveryMode()).isEqualTo(2);
    // The broker hands string headers back as LongStrings.
    Map<String, Object> headers = new java.util.HashMap<>();
    sent.getHeaders().forEach((k, v) -> headers.put(k, LongStringHelper.asLongString((String) v)));
    AMQP.BasicProperties received = sent.builder().headers(headers).build();
    assertThat(MessageCodec.decode(received, MessageCodec.body(m), clock, () -> "generated"))
        .isEqualTo(m);
  }

  @Test
  void aBareBodyGetsGeneratedIdsAndTheClocksTime() {
    Message m = MessageCodec.decode(new AMQP.BasicProperties(), " hello.world\r\n".getBytes(UTF_8),
        clock, new TimeOrderedIds(clock));
    assertThat(m.text()).isEqualTo("hello.world");
    assertThat(m.sentAt()).isEqualTo(T);
    assertThat(m.id()).isNotEqualTo(m.workflowId());
  }

  @Test
  void aPlainMessageWithAMessageIdPropertyKeepsItAndTakesItsTimeFromTheTimestamp() {
    AMQP.BasicProperties idOnly = new AMQP.BasicProperties.Builder().messageId("client-7").build();
    Message m = MessageCodec.decode(idOnly, "a.b".getBytes(UTF_8), clock, () -> "generated");
    assertThat(m.id()).isEqualTo("client-7");
    assertThat(m.sentAt()).isEqualTo(T); // none given: the coordinator keeps the first recording's
    AMQP.BasicProperties stamped = idOnly.builder()
        .timestamp(java.util.Date.from(Instant.parse("2026-11-29T00:00:01Z"))).build();
    assertThat(MessageCodec.decode(stamped, "a.b".getBytes(UTF_8), clock, () -> "x").sentAt())
        .isEqualTo(Instant.parse("2026-11-29T00:00:01Z"));
  }

  @Test
  void aPlainMessageWithoutAnIdGetsTheSameDerivedIdAtEveryDeliveryWhenItCarriesATime() {
    java.util.Date second = java.util.Date.from(Instant.parse("2026-11-29T00:00:01Z"));
    AMQP.BasicProperties stamped = new AMQP.BasicProperties.Builder().deliveryMode(2)
        .timestamp(second).headers(Map.of("seq", 1, "app", LongStringHelper.asLongString("x")))
        .build();
    byte[] body = "a.b".getBytes(UTF_8);
    Message first = MessageCodec.decode(stamped, body, clock, () -> "generated");
    // Another delivery of it, at another time, the headers in another order and the broker's own.
    Clock later = Clock.offset(clock, Duration.ofMinutes(5));
    AMQP.BasicProperties redelivered = stamped.builder().headers(new java.util.TreeMap<>(Map.of(
        "x-delivery-count", 1L, "seq", 1, "app", LongStringHelper.asLongString("x")))).build();
    Message again = MessageCodec.decode(redelivered, body, later, () -> "other");
    assertThat(again.id()).isEqualTo(first.id()).isNotEqualTo("generated")
        .startsWith(String.format("%012x", second.getTime()).substring(0, 8)); // sorts by time
    assertThat(again.sentAt()).isEqualTo(first.sentAt()).isEqualTo(second.toInstant());

    // Identical messages sent on purpose differ by their time, a header or a correlation id.
    AMQP.BasicProperties nextSecond = stamped.builder()
        .timestamp(java.util.Date.from(second.toInstant().plusSeconds(1))).build();
    AMQP.BasicProperties otherHeader = stamped.builder().headers(Map.of("seq", 2,
        "app", LongStringHelper.asLongString("x"))).build();
    AMQP.BasicProperties textHeader = stamped.builder().headers(Map.of("seq", "1",
        "app", LongStringHelper.asLongString("x"))).build();
    for (AMQP.BasicProperties other : List.of(nextSecond, otherHeader, textHeader)) {
      assertThat(MessageCodec.decode(other, body, clock, () -> "g").id()).isNotEqualTo(first.id());
    }
    AMQP.BasicProperties correlated = new AMQP.BasicProperties.Builder().correlationId("c1")
        .build();
    String byCorrelation = MessageCodec.decode(correlated, body, clock, () -> "g").id();
    assertThat(MessageCodec.decode(correlated, body, later, () -> "h").id())
        .isEqualTo(byCorrelation).isNotEqualTo("g");
    assertThat(MessageCodec.decode(correlated.builder().correlationId("c2").build(), body, clock,
        () -> "g").id()).isNotEqualTo(byCorrelation);
    assertThat(MessageCodec.decode(stamped, "a.c".getBytes(UTF_8), clock, () -> "g").id())
        .isNotEqualTo(first.id());
  }

  @Test
  void aPlainMessageWithNothingToTellItApartGetsANewIdAtEachDelivery() {
    AMQP.BasicProperties bare = new AMQP.BasicProperties.Builder().deliveryMode(2)
        .contentType("text/plain").build();
    AtomicIds ids = new AtomicIds();
    assertThat(MessageCodec.decode(bare, "a.b".getBytes(UTF_8), clock, ids).id()).isEqualTo("id1");
    assertThat(MessageCodec.decode(bare, "a.b".getBytes(UTF_8), clock, ids).id()).isEqualTo("id3");
  }

  /** Numbered ids, one per call (message id, then workflow id). */
  private static final class AtomicIds implements java.util.function.Supplier<String> {
    private final java.util.concurrent.atomic.AtomicInteger next =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public String get() {
      return "id" + next.incrementAndGet();
    }
  }

  @Test
  void unacceptableMessagesAreMalformed() {
    AMQP.BasicProperties none = new AMQP.BasicProperties();
    for (String text : List.of("", "a\u0000b", "a\tb", "é".repeat(256), "a..b", "a.*")) {
      assertThatThrownBy(() -> MessageCodec.decode(none, text.getBytes(UTF_8), clock, () -> "x"))
          .as(text).isInstanceOf(MalformedDeliveryException.class);
    }
    assertThat(MessageCodec.decode(none, "é".repeat(255).getBytes(UTF_8), clock, () -> "x")
        .text()).hasSize(255);
    for (String header : List.of(MessageCodec.WORKFLOW_ID, MessageCodec.ID,
        MessageCodec.PARENT_RUN_ID)) {
      AMQP.BasicProperties badId = new AMQP.BasicProperties.Builder()
          .headers(Map.of(header, "../x")).build();
      assertThatThrownBy(() -> MessageCodec.decode(badId, "a".getBytes(UTF_8), clock, () -> "x"))
          .as(header).isInstanceOf(MalformedDeliveryException.class).hasMessageContaining("'../x'");
    }
    AMQP.BasicProperties farFuture = new AMQP.BasicProperties.Builder()
        .headers(Map.of(MessageCodec.SENT_AT, "+300000-01-01T00:00:00Z")).build();
    assertThatThrownBy(() -> MessageCodec.decode(farFuture, "a".getBytes(UTF_8), clock,
        () -> "x")).isInstanceOf(MalformedDeliveryException.class)
        .hasMessageContaining("outside the years 2000 to 9999");
    AMQP.BasicProperties badTime = new AMQP.BasicProperties.Builder()
        .headers(Map.of(MessageCodec.SENT_AT, "yesterday")).build();
    assertThatThrownBy(() -> MessageCodec.decode(badTime, "a".getBytes(UTF_8), clock, () -> "x"))
        .isInstanceOf(MalformedDeliveryException.class).hasMessageContaining(MessageCodec.SENT_AT);
  }

  @Test
  void sendingAnUnacceptableMessageIsRefused() {
    Message m = new Message("id", "a\nb", null, "wf", null, null, T);
    assertThatThrownBy(() -> MessageCodec.body(m)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void idsAreVersion7AndSortByTime() {
    Instant[] now = {T};
    Clock moving = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    TimeOrderedIds ids = new TimeOrderedIds(moving);
    String first = ids.get();
    now[0] = T.plusMillis(1);
    String second = ids.get();
    assertThat(java.util.UUID.fromString(first).version()).isEqualTo(7);
    assertThat(first).isLessThan(second);
  }

  @Test
  void brokerVersionsThatHonourTheConsumerTimeoutArgument() {
    assertThat(BrokerVersion.parse("3.10.8").honoursConsumerTimeoutArgument()).isFalse();
    assertThat(BrokerVersion.parse("3.11.14").honoursConsumerTimeoutArgument()).isFalse();
    assertThat(BrokerVersion.parse("3.11.15").honoursConsumerTimeoutArgument()).isTrue();
    assertThat(BrokerVersion.parse("3.12.0").honoursConsumerTimeoutArgument()).isTrue();
    assertThat(BrokerVersion.parse("4.1.0-rc.1").honoursConsumerTimeoutArgument()).isTrue();
    assertThat(BrokerVersion.parse("unknown").honoursConsumerTimeoutArgument()).isFalse();
  }
}
