package io.angora.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.angora.api.Run;
import io.angora.api.RunStatus;
import io.angora.api.TaskDefinition;
import io.angora.api.TaskSource;
import io.angora.engine.Angora;
import io.angora.engine.InMemoryRunStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A self-triggering task's workflow, 2,000 generations deep (built in the store, not run), is
 * served by {@code GET /api/workflows/{id}} with every run and a bounded nesting.
 */
class DeepWorkflowIT {
  private static final int GENERATIONS = 2_000;

  @Test
  void aTwoThousandDeepWorkflowIsServedWithBoundedNesting() throws Exception {
    InMemoryRunStore store = new InMemoryRunStore();
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    String parent = null;
    for (int i = 0; i < GENERATIONS; i++) {
      String id = String.format("0000000000%04d-000000", i);
      store.insert(new Run(id, "loop", "loop.again", "msg-" + i, null, "wf-deep", parent, 1,
          RunStatus.SUCCEEDED, null, 0, "w", at.plusSeconds(i), at.plusSeconds(i),
          at.plusSeconds(i), "round " + i));
      parent = id;
    }
    try (Angora angora = Angora.builder().runStore(store)
            .tasks(TaskSource.of(List.of(TaskDefinition.builder("loop").triggers("loop.again")
                .command("true").messages("loop.again").replay(0).build())))
            .shutdownGrace(Duration.ofSeconds(1)).build()) {
      angora.start();
      try (AngoraHttpServer server = AngoraHttpServer.start(angora,
          HttpOptions.builder().port(0).drain(Duration.ZERO).build())) {
        HttpResponse<String> answer = new Http(server.url()).get("/api/workflows/wf-deep");

        assertThat(answer.statusCode()).isEqualTo(200);
        ObjectMapper reader = new ObjectMapper();
        reader.getFactory().setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(200).build());
        JsonNode body = reader.readTree(answer.body());
        assertThat(body.get("runCount").asInt()).isEqualTo(GENERATIONS);
        Set<String> seen = new HashSet<>();
        int deepest = 0;
        for (JsonNode entry : body.get("runs")) {
          deepest = Math.max(deepest, collect(entry, seen, 1));
        }
        assertThat(seen).hasSize(GENERATIONS);
        assertThat(deepest).isLessThanOrEqualTo(64);
        JsonNode continued = body.get("runs").get(1);
        assertThat(continued.get("continued").asBoolean()).isTrue();
        assertThat(continued.get("parentRunId").asText()).isEqualTo("00000000000063-000000");
      }
    }
  }

  private static int collect(JsonNode node, Set<String> seen, int depth) {
    seen.add(node.get("id").asText());
    int deepest = depth;
    for (JsonNode child : node.get("children")) {
      deepest = Math.max(deepest, collect(child, seen, depth + 1));
    }
    return deepest;
  }
}
