package io.angora.api;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message: a string that triggers every task with a matching trigger.
 *
 * @param id unique id of this message
 * @param text the message string, e.g. {@code example.step.1}
 * @param payload optional small text handed to jobs as {@code ANGORA_PAYLOAD}, never as an
 *     argument
 * @param workflowId the workflow instance this message belongs to
 * @param parentRunId the run whose success sent this message, or null for a message from
 *     outside
 * @param task when not null, the message runs only this task, whatever its triggers (a manual
 *     run)
 * @param sentAt when the message was sent
 */
public record Message(
    String id,
    String text,
    @Nullable String payload,
    String workflowId,
    @Nullable String parentRunId,
    @Nullable String task,
    Instant sentAt) {

  /** Checks that the required fields are present. */
  public Message {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(workflowId, "workflowId");
    Objects.requireNonNull(sentAt, "sentAt");
  }

  /** Whether this message asks for one task by name rather than matching triggers. */
  public boolean isManualRun() {
    return task != null;
  }
}
