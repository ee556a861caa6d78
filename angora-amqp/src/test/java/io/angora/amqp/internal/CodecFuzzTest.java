package io.angora.amqp.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random and mutated bodies for every codec of the wire (seeded, so a failure
 * reproduces): the only outcomes allowed are a valid value or a
 * {@link MalformedDeliveryException}, which the consumer dead-letters. Anything else would
 * leave the delivery unsettled and block a consumer.
 */
class CodecFuzzTest {
  private static final int ROUNDS = 4000;
  private static final Instant T = Instant.parse("2026-11-30T05:00:00.123Z");
  private static final Clock CLOCK = Clock.fixed(T, ZoneOffset.UTC);
  private static final String[] NASTY = {"1e9999999999", "-1e-9999999999",
      "123456789012345678901234567890", "9".repeat(39), "1".repeat(2000), "NaN", "-0", "0.0e0",
      "\"\\ud800\"", "\"\\u0000\"", "\"+300000-01-01T00:00:00Z\"", "\"-999999999-01-01T00:00Z\"",
      "\"PT9999999999999999H\"", "\"P106751991167301D\"", "null", "true", "[]", "{}",
      "\"../../etc/passwd\"", "\"" + "x".repeat(300) + "\"", "2147483648", "-2147483649",
      "\"\u202e\"", "\"a/b\""};

  @Test
  void jobs() {
    TaskDefinition task = TaskDefinition.builder("build").triggers("a.*", "#")
        .command("make all").log("logs").messages("b").replay(2).parentSuccess(true)
        .timeout(Duration.ofMinutes(5)).env("K", "v").origin("tasks/a.yml:3").build();
    byte[] valid = JobCodec.encode(new Job("run-1", task,
        new Message("m", "a.b", "payload", "wf", "p", null, T), 1));
    fuzz("job", 1, valid, JobCodec::decode);
  }

  @Test
  void events() {
    List<byte[]> valid = List.of(
        EventCodec.encode(new JobEvent.JobStarted("r", "t", "w", T)),
        EventCodec.encode(new JobEvent.JobFinished("r", "t", RunStatus.FAILED, 2, "why",
            "out\nput", "w", T, T.plusSeconds(1))),
        EventCodec.encode(new JobEvent.WorkerHeartbeat("w", "h", 3, List.of("a", "b"), T)),
        EventCodec.encode(new JobEvent.JobOutput("r", "t", List.of(
            new OutputChunk(OutputChunk.Stream.STDOUT, 0, "first\n\u00e9".getBytes(UTF_8)),
            new OutputChunk(OutputChunk.Stream.STDERR, 12, new byte[] {(byte) 0xe2})), "w", T)));
    for (int i = 0; i < valid.size(); i++) {
      fuzz("event " + i, 10 + i, valid.get(i), EventCodec::decode);
    }
  }

  @Test
  void batchesOfOutcomes() {
    byte[] valid = EventCodec.batch(List.of(
        EventCodec.encode(new JobEvent.JobFinished("r1", "t", RunStatus.FAILED, 2, "why",
            "out\nput", "w", T, T.plusSeconds(1))),
        EventCodec.encode(new JobEvent.JobFinished("r2", "t", RunStatus.SUCCEEDED, 0, null,
            "", "w", T, T))));
    fuzz("batch", 20, valid, EventCodec::decodeAll);
  }

  @Test
  void claims() {
    Map<String, Object> news = new HashMap<>();
    news.put("v", 1L);
    news.put("from", "x");
    news.put("held", List.of("r/1", "r/2"));
    news.put("settled", Map.of("r/3", "ACK"));
    fuzz("claim", 20, WireJson.write(news), ClaimBoard::json);
  }

  @Test
  void messages() {
    Message message = new Message("m-1", "a.b.c", "p", "wf-1", "run-9", null, T);
    byte[] body = MessageCodec.body(message);
    Map<String, Object> headers = MessageCodec.properties(message).getHeaders();
    Random random = new Random(30);
    for (int i = 0; i < ROUNDS; i++) {
      byte[] mutated = mutate(random, body);
      Map<String, Object> h = new HashMap<>(headers);
      if (random.nextBoolean()) {
        List<String> names = new ArrayList<>(h.keySet());
        String name = names.get(random.nextInt(names.size()));
        h.put(name, random.nextInt(4) == 0 ? (Object) random.nextLong()
            : new String(mutate(random, String.valueOf(h.get(name)).getBytes(UTF_8)), UTF_8));
      }
      AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().headers(h).build();
      expectValueOrMalformed("message", i, mutated,
          b -> MessageCodec.decode(properties, b, CLOCK, () -> "generated"));
    }
  }

  @Test
  void signatures() {
    Signatures signatures = new Signatures(new byte[32], Duration.ofHours(1), CLOCK);
    byte[] body = "run-1".getBytes(UTF_8);
    Envelope envelope = new Envelope(1, false, "x.cancel", "");
    String header = (String) signatures.sign(new AMQP.BasicProperties(), "x.cancel", "", body)
        .getHeaders().get(Signatures.HEADER);
    Random random = new Random(40);
    int accepted = 0;
    for (int i = 0; i < ROUNDS; i++) {
      byte[] mutatedHeader = mutate(random, header.getBytes(UTF_8));
      byte[] mutatedBody = random.nextBoolean() ? body : mutate(random, body);
      AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
          .headers(Map.of(Signatures.HEADER, new String(mutatedHeader, UTF_8))).build();
      try {
        signatures.verify(envelope, properties, mutatedBody);
        accepted++;
        assertThat(mutatedBody).as("accepted a changed body").isEqualTo(body);
      } catch (MalformedDeliveryException expected) {
        // refused, as it must be
      } catch (RuntimeException e) {
        fail("signature round " + i + " threw " + e, e);
      }
    }
    assertThat(accepted).as("some rounds leave the signature intact").isPositive();
  }

  private static void fuzz(String what, long seed, byte[] valid, Function<byte[], ?> decoder) {
    assertThat(decoder.apply(valid)).as(what + ": the valid encoding").isNotNull();
    Random random = new Random(seed);
    int malformed = 0;
    for (int i = 0; i < ROUNDS; i++) {
      byte[] body = i % 10 == 0 ? random(random) : mutate(random, valid);
      if (!expectValueOrMalformed(what, i, body, decoder)) {
        malformed++;
      }
    }
    assertThat(malformed).as(what + ": most mutations are refused").isGreaterThan(ROUNDS / 2);
  }

  /** True for a value, false for a malformed delivery; fails the test for anything else. */
  private static boolean expectValueOrMalformed(String what, int round, byte[] body,
      Function<byte[], ?> decoder) {
    try {
      assertThat(decoder.apply(body)).isNotNull();
      return true;
    } catch (MalformedDeliveryException e) {
      return false;
    } catch (RuntimeException | StackOverflowError e) {
      fail(what + " round " + round + " threw " + e + " for body "
          + HexFormat.of().formatHex(body, 0, Math.min(body.length, 400)), e);
      return false;
    }
  }

  private static byte[] random(Random random) {
    byte[] bytes = new byte[random.nextInt(200)];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] mutate(Random random, byte[] valid) {
    byte[] out = valid.clone();
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations; m++) {
      out = switch (random.nextInt(8)) {
        case 0 -> flip(random, out);
        case 1 -> Arrays.copyOf(out, out.length == 0 ? 0 : random.nextInt(out.length));
        case 2 -> splice(random, out, valid);
        case 3 -> replaceValue(random, out, NASTY[random.nextInt(NASTY.length)]);
        case 4 -> nest(random, out);
        case 5 -> replaceValue(random, out, "\"" + randomText(random) + "\"");
        case 6 -> duplicateKey(out);
        default -> insertByte(random, out);
      };
    }
    return out;
  }

  private static byte[] flip(Random random, byte[] in) {
    if (in.length > 0) {
      in[random.nextInt(in.length)] ^= (byte) (1 << random.nextInt(8));
    }
    return in;
  }

  private static byte[] insertByte(Random random, byte[] in) {
    int at = random.nextInt(in.length + 1);
    byte[] out = new byte[in.length + 1];
    System.arraycopy(in, 0, out, 0, at);
    out[at] = (byte) random.nextInt(256);
    System.arraycopy(in, at, out, at + 1, in.length - at);
    return out;
  }

  private static byte[] splice(Random random, byte[] a, byte[] b) {
    int cutA = a.length == 0 ? 0 : random.nextInt(a.length);
    int cutB = b.length == 0 ? 0 : random.nextInt(b.length);
    byte[] out = new byte[cutA + b.length - cutB];
    System.arraycopy(a, 0, out, 0, cutA);
    System.arraycopy(b, cutB, out, cutA, b.length - cutB);
    return out;
  }

  /** Replaces one value (after a {@code :}) up to the next {@code ,} or {@code }}. */
  private static byte[] replaceValue(Random random, byte[] in, String value) {
    String text = new String(in, UTF_8);
    List<Integer> colons = new ArrayList<>();
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == ':') {
        colons.add(i);
      }
    }
    if (colons.isEmpty()) {
      return (text + value).getBytes(UTF_8);
    }
    int start = colons.get(random.nextInt(colons.size())) + 1;
    int end = start;
    while (end < text.length() && text.charAt(end) != ',' && text.charAt(end) != '}') {
      end++;
    }
    return (text.substring(0, start) + value + text.substring(end)).getBytes(UTF_8);
  }

  private static byte[] nest(Random random, byte[] in) {
    int depth = 1 + random.nextInt(random.nextBoolean() ? 20 : 5000);
    return replaceValue(random, in, "[".repeat(depth) + "1" + "]".repeat(depth));
  }

  private static byte[] duplicateKey(byte[] in) {
    String text = new String(in, UTF_8);
    int brace = text.indexOf('{');
    return brace < 0 ? in
        : (text.substring(0, brace + 1) + "\"v\":1," + text.substring(brace + 1)).getBytes(UTF_8);
  }

  private static String randomText(Random random) {
    StringBuilder out = new StringBuilder();
    int length = random.nextInt(random.nextBoolean() ? 10 : 400);
    for (int i = 0; i < length; i++) {
      out.append((char) random.nextInt(random.nextBoolean() ? 0x80 : 0x10000));
    }
    return out.toString().replace("\\", "").replace("\"", "");
  }
}
