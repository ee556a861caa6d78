package io.angora.example;

import io.angora.api.Run;
import io.angora.api.RunListener;
import io.angora.api.TaskDefinition;
import io.angora.engine.Angora;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Embeds Angora in an application: two tasks defined in code form a workflow, the application
 * sends the first message and prints every run as it finishes.
 */
public final class EmbeddedApp {
  private EmbeddedApp() {}

  /**
   * Runs the workflow once and returns the finished runs.
   *
   * @param payload handed to the jobs as {@code ANGORA_PAYLOAD}
   * @return the runs of the workflow, oldest first
   * @throws InterruptedException when interrupted while waiting
   */
  public static List<Run> runOnce(String payload) throws InterruptedException {
    List<Run> finished = new CopyOnWriteArrayList<>();
    try (Angora angora = Angora.builder()
        .task(TaskDefinition.builder("fetch")
            .triggers("app.fetch")
            .command("printenv ANGORA_PAYLOAD")
            .messages("app.report")
            .replay(2)
            .build())
        .task(TaskDefinition.builder("report")
            .triggers("app.report")
            .command("echo \"report for workflow $ANGORA_WORKFLOW_ID\"")
            .parentSuccess(true)
            .build())
        .listener(new RunListener() {
          @Override
          public void onRun(Run run) {
            if (run.status().isFinal()) {
              finished.add(run);
            }
          }
        })
        .build()) {
      angora.start();
      String workflow = angora.send("app.fetch", payload).workflowId();
      if (!angora.awaitIdle(Duration.ofMinutes(1))) {
        throw new IllegalStateException("workflow " + workflow + " did not finish in a minute");
      }
      return angora.runs().workflow(workflow);
    }
  }

  /**
   * Runs the example.
   *
   * @param args an optional payload
   * @throws InterruptedException when interrupted
   */
  public static void main(String[] args) throws InterruptedException {
    for (Run run : runOnce(args.length > 0 ? args[0] : "hello from the application")) {
      System.out.printf("%-8s %-9s %s%n", run.task(), run.status(), run.output().strip());
    }
  }
}
