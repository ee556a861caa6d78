package io.angora.engine.internal.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.angora.api.TaskDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TriggerIndexTest {
  private static TaskDefinition task(String name, String... triggers) {
    return TaskDefinition.builder(name).triggers(triggers).command("true").build();
  }

  private static List<String> names(List<TaskDefinition> tasks) {
    return tasks.stream().map(TaskDefinition::name).toList();
  }

  @ParameterizedTest(name = "''{0}'' matches ''{1}'': {2}")
  @CsvSource({
      "a.b.c, a.b.c, true",
      "a.b.c, a.b, false",
      "a.b, a.b.c, false",
      "a.*.c, a.b.c, true",
      "a.*.c, a.c, false",
      "a.*.c, a.b.b.c, false",
      "*, a, true",
      "*, a.b, false",
      "a.#, a, true",
      "a.#, a.b.c, true",
      "a.#, b, false",
      "a.#.b, a.b, true",
      "a.#.b, a.x.b, true",
      "a.#.b, a.x.y.b, true",
      "a.#.b, a.x.y, false",
      "#.x, x, true",
      "#.x, a.b.x, true",
      "#.x, x.a, false",
      "#, a, true",
      "#, a.b.c.d, true",
      "#.#, a, true",
      "*.#, a, true",
      "#.*, a.b, true",
      "*.*, a, false",
      "a.#.#.b, a.b, true",
      "#.a.#, b.a.a.c, true",
      "#.a.*, b.a, false",
      "#.#.a, a, true",
      "#.#.a, x.y.a, true",
      "a.#.#, a, true",
      "a.#.#, a.b.c, true",
      "a.#.#, b.a, false",
      "a.#.#.#.b, a.x.y.z.b, true",
      "a.#.#.#.b, a.x.y.z, false",
      "#.a.#.b.#, x.a.y.b, true",
      "#.a.#.b.#, a.b, true",
      "#.a.#.b.#, b.a, false",
      "*.#.*, a.b, true",
      "*.#.*, a.b.c.d, true",
      "*.#.*, a, false",
      "#.*.#, a, true",
      "a.b.#, a.b, true",
      "a.b.#, a.bb, false",
      "a.b.#, a.b.c.d.e, true",
      "ab.#, a.b, false",
      "a.*, ab, false",
      "#.b, ab, false"})
  void matchesFollowsTopicRules(String pattern, String message, boolean expected) {
    assertThat(TriggerIndex.matches(pattern, message)).isEqualTo(expected);
    TriggerIndex index = TriggerIndex.build(List.of(task("t", pattern)));
    assertThat(index.match(message)).hasSize(expected ? 1 : 0);
  }

  @Test
  void exactTriggersByHash() {
    TriggerIndex index = TriggerIndex.build(List.of(task("one", "example.step.1"),
        task("two", "example.step.2")));
    assertThat(names(index.match("example.step.1"))).containsExactly("one");
    assertThat(names(index.match("example.step.2"))).containsExactly("two");
    assertThat(index.match("example.step.3")).isEmpty();
    assertThat(index.match("example.step")).isEmpty();
  }

  @Test
  void fanOutReturnsEveryTaskInTheOrderGiven() {
    TriggerIndex index = TriggerIndex.build(List.of(task("c", "time.0105"),
        task("a", "time.*"), task("unrelated", "other"), task("b", "time.0105"),
        task("d", "#")));
    assertThat(names(index.match("time.0105"))).containsExactly("c", "a", "b", "d");
    assertThat(names(index.match("time.0106"))).containsExactly("a", "d");
  }

  @Test
  void taskWithSeveralMatchingTriggersIsReturnedOnce() {
    TriggerIndex index = TriggerIndex.build(List.of(
        task("many", "a.b", "a.*", "#.b", "#", "a.b"), task("other", "a.b")));
    assertThat(names(index.match("a.b"))).containsExactly("many", "other");
    assertThat(names(index.match("x.b"))).containsExactly("many");
  }

  @Test
  void patternWithTwoPathsToTheSameMatchCountsOnce() {
    TriggerIndex index = TriggerIndex.build(List.of(task("t", "#.a.#")));
    assertThat(names(index.match("a.a.a"))).containsExactly("t");
  }

  @Test
  void missesReturnAnEmptyList() {
    TriggerIndex index = TriggerIndex.build(List.of(task("t", "a.*.c", "x.#.z")));
    assertThat(index.match("a.c")).isEmpty();
    assertThat(index.match("x.y")).isEmpty();
    assertThat(TriggerIndex.build(List.of()).match("anything")).isEmpty();
  }

  @Test
  void buildRejectsAnInvalidTriggerNamingTaskAndTrigger() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TriggerIndex.build(List.of(task("broken", "a..b"))))
        .withMessageContaining("task 'broken'").withMessageContaining("'a..b'");
  }

  @Test
  void tenThousandTasksGiveTheSameResultsAsALinearScan() {
    Random random = new Random(42);
    String[] vocabulary = {"a", "b", "c", "step", "time", "x", "0105", "done"};
    List<TaskDefinition> tasks = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      int triggerCount = 1 + random.nextInt(3);
      String[] triggers = new String[triggerCount];
      for (int t = 0; t < triggerCount; t++) {
        triggers[t] = randomTopic(random, vocabulary, i % 2 == 0 ? 0.0 : 0.3);
      }
      tasks.add(task("task_" + i, triggers));
    }
    TriggerIndex index = TriggerIndex.build(tasks);
    int nonEmpty = 0;
    // The linear scan asks matches() once per distinct trigger, then looks the answers up.
    Set<String> distinct = new HashSet<>();
    tasks.forEach(t -> distinct.addAll(t.triggers()));
    for (int m = 0; m < 200; m++) {
      String message = randomTopic(random, vocabulary, 0.0);
      Set<String> matching = new HashSet<>();
      for (String trigger : distinct) {
        if (TriggerIndex.matches(trigger, message)) {
          matching.add(trigger);
        }
      }
      List<String> expected = new ArrayList<>();
      for (TaskDefinition t : tasks) {
        for (String trigger : t.triggers()) {
          if (matching.contains(trigger)) {
            expected.add(t.name());
            break;
          }
        }
      }
      List<String> actual = names(index.match(message));
      if (!actual.equals(expected)) {
        assertThat(actual).as(message).isEqualTo(expected);
      }
      nonEmpty += expected.isEmpty() ? 0 : 1;
    }
    assertThat(nonEmpty).as("messages that matched something").isGreaterThan(60);
  }

  @Test
  void referenceMatcherAgreesWithANaiveRecursiveOne() {
    Random random = new Random(7);
    String[] vocabulary = {"a", "b", "c"};
    for (int i = 0; i < 5_000; i++) {
      String pattern = randomTopic(random, vocabulary, 0.4);
      String message = randomTopic(random, vocabulary, 0.0);
      assertThat(TriggerIndex.matches(pattern, message)).as("%s ~ %s", pattern, message)
          .isEqualTo(naive(pattern.split("\\."), 0, message.split("\\."), 0));
    }
  }

  @Test
  void singleMatchReturnsTheSameSharedList() {
    TriggerIndex index = TriggerIndex.build(List.of(task("star", "a.*"), task("hash", "#.z"),
        task("both", "b.*", "#.c")));
    assertThat(index.match("a.x")).isSameAs(index.match("a.y"));
    assertThat(names(index.match("x.y.z"))).containsExactly("hash");
    assertThat(index.match("x.y.z")).isSameAs(index.match("z"));
    // Two triggers of one task both match: still that task's list, once.
    assertThat(names(index.match("b.c"))).containsExactly("both");
    assertThat(index.match("b.c")).isSameAs(index.match("b.c"));
  }

  @Test
  void wordsWithTheSameHashAreToldApart() {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    TriggerIndex index = TriggerIndex.build(List.of(task("aa", "Aa.*"), task("bb", "BB.*"),
        task("deep", "#.Aa.BB")));
    assertThat(names(index.match("Aa.x"))).containsExactly("aa");
    assertThat(names(index.match("BB.x"))).containsExactly("bb");
    assertThat(names(index.match("x.Aa.BB"))).containsExactly("deep");
    assertThat(names(index.match("Aa.BB"))).containsExactly("aa", "deep");
    assertThat(index.match("x.BB.Aa")).isEmpty();
    assertThat(index.match("AaBB.x")).isEmpty();
  }

  @Test
  void wordsOutsideLatin1MatchByCharacters() {
    TriggerIndex index = TriggerIndex.build(List.of(task("cafe", "caf\u00e9.*"),
        task("greek", "#.\u03b1\u03b2")));
    assertThat(names(index.match("caf\u00e9.ol\u00e9"))).containsExactly("cafe");
    assertThat(index.match("cafe.x")).isEmpty();
    assertThat(names(index.match("x.\u03b1\u03b2"))).containsExactly("greek");
    assertThat(index.match("x.\u03b1\u03b3")).isEmpty();
  }

  @Test
  void manyChildrenOfOneWordAreAllFound() {
    List<TaskDefinition> tasks = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      tasks.add(task("t" + i, "w" + i + ".*"));
    }
    TriggerIndex index = TriggerIndex.build(tasks);
    for (int i = 0; i < 2_000; i++) {
      assertThat(names(index.match("w" + i + ".x"))).as("w%d", i).containsExactly("t" + i);
    }
    assertThat(index.match("w2000.x")).isEmpty();
  }

  @Test
  void messagesWithEmptyWordsAgreeWithTheReferenceMatcher() {
    // Messages are validated before lookup, but the index itself must not go wrong on them.
    List<String> patterns = List.of("a.*.b", "a.#", "#.b", "*", "#", "a.*", "*.*.*");
    for (String message : List.of("a..b", "a.", ".b", ".", "", "..")) {
      for (String pattern : patterns) {
        TriggerIndex index = TriggerIndex.build(List.of(task("t", pattern)));
        assertThat(index.match(message)).as("%s ~ '%s'", pattern, message)
            .hasSize(TriggerIndex.matches(pattern, message) ? 1 : 0);
      }
    }
  }

  @Test
  void messagesWithManyWordsAgreeWithTheReferenceMatcher() {
    Random random = new Random(11);
    String[] vocabulary = {"a", "b", "c"};
    for (int round = 0; round < 300; round++) {
      List<TaskDefinition> tasks = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        tasks.add(task("t" + i, longTopic(random, vocabulary, 1 + random.nextInt(8), 0.5)));
      }
      TriggerIndex index = TriggerIndex.build(tasks);
      String message = longTopic(random, vocabulary, 1 + random.nextInt(40), 0.0);
      List<String> expected = tasks.stream()
          .filter(t -> TriggerIndex.matches(t.triggers().get(0), message))
          .map(TaskDefinition::name).toList();
      assertThat(names(index.match(message))).as(message).isEqualTo(expected);
    }
  }

  private static String longTopic(Random random, String[] vocabulary, int words,
      double wildcards) {
    String[] parts = new String[words];
    for (int w = 0; w < words; w++) {
      double roll = random.nextDouble();
      parts[w] = roll < wildcards / 2 ? "*" : roll < wildcards ? "#"
          : vocabulary[random.nextInt(vocabulary.length)];
    }
    return String.join(".", parts);
  }

  /** Topic rules spelt out literally: exponential, fine for a handful of words. */
  private static boolean naive(String[] p, int i, String[] m, int j) {
    if (i == p.length) {
      return j == m.length;
    }
    if (p[i].equals("#")) {
      for (int k = j; k <= m.length; k++) {
        if (naive(p, i + 1, m, k)) {
          return true;
        }
      }
      return false;
    }
    return j < m.length && (p[i].equals("*") || p[i].equals(m[j])) && naive(p, i + 1, m, j + 1);
  }

  private static String randomTopic(Random random, String[] vocabulary, double wildcards) {
    String[] words = new String[1 + random.nextInt(4)];
    for (int w = 0; w < words.length; w++) {
      double roll = random.nextDouble();
      words[w] = roll < wildcards / 2 ? "*" : roll < wildcards ? "#"
          : vocabulary[random.nextInt(vocabulary.length)];
    }
    return String.join(".", Arrays.asList(words));
  }
}
