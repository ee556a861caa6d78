package io.angora.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.angora.api.Run;
import io.angora.api.RunStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedAppIT {
  @Test
  void theWorkflowRunsThroughTheJavaApi() throws InterruptedException {
    List<Run> runs = EmbeddedApp.runOnce("payload-42");

    assertThat(runs).extracting(Run::task).containsExactly("fetch", "report");
    assertThat(runs).allMatch(r -> r.status() == RunStatus.SUCCEEDED);
    assertThat(runs.get(0).output()).contains("payload-42");
    assertThat(runs.get(1).output()).contains("report for workflow " + runs.get(0).workflowId());
  }
}
