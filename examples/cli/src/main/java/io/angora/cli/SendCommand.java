package io.angora.cli;

import io.angora.api.MessageText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;

/**
 * {@code angora send MSG}: posts a message to a running Angora's {@code /send}, the way the
 * original's cron lines do with curl; with {@code --amqp URI}, publishes it to RabbitMQ instead
 * ({@link AmqpSend}).
 */
final class SendCommand {
  private SendCommand() {}

  static int run(List<String> argv, PrintStream out, PrintStream err)
      throws InterruptedException {
    Args args = Args.parse(argv, Set.of("url", "payload", "workflow", "token", "token-file",
        "amqp", "queue-prefix", "amqp-password-file", "task"), Set.of());
    if (args.positional().size() != 1) {
      throw new Args.UsageException("send needs exactly one message");
    }
    // The rules every entry point shares, checked here so a bad message fails before any
    // connection, with the same words as the server would use.
    try {
      MessageText.checkMessage(args.positional().get(0).strip());
      MessageText.checkPayload(args.get("payload").orElse(null));
      args.get("workflow").ifPresent(w -> MessageText.checkId("workflow id", w));
      args.get("task").ifPresent(t -> MessageText.checkId("task", t));
    } catch (IllegalArgumentException e) {
      throw new Args.UsageException(e.getMessage());
    }
    if (args.get("amqp").isPresent()) {
      return AmqpSend.send(args, out, err);
    }
    String fromEnv = System.getenv("ANGORA_URL");
    String url = args.get("url", fromEnv == null || fromEnv.isBlank() ? "http://127.0.0.1:8080"
        : fromEnv).replaceAll("/+$", "");
    StringBuilder form = new StringBuilder("msg=")
        .append(ApiCall.encode(args.positional().get(0)));
    args.get("payload").ifPresent(p -> form.append("&payload=").append(ApiCall.encode(p)));
    args.get("workflow").ifPresent(w -> form.append("&workflow=")
        .append(ApiCall.encode(w)));
    HttpRequest.Builder request = ApiCall.request(url, "/send", args, err)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    try {
      HttpResponse<String> response = ApiCall.send(request.build());
      if (response.statusCode() == 202) {
        out.println(response.body());
        warnWhenNothingTriggered(response.body(), err);
        return 0;
      }
      err.println("angora: " + url + "/send answered " + response.statusCode() + ": "
          + response.body());
      return 1;
    } catch (IOException e) {
      err.println("angora: cannot reach " + url + ": " + e);
      return 1;
    }
  }

  /** The message was accepted; when it triggers no task, say so with the nearest trigger. */
  private static void warnWhenNothingTriggered(String body, PrintStream err) {
    try {
      JsonNode answer = new ObjectMapper().readTree(body);
      if (answer.path("tasks").asInt(-1) == 0 && answer.hasNonNull("warning")) {
        err.println("angora: warning: " + answer.get("warning").asText());
      }
    } catch (IOException e) {
      err.println("angora: the answer was not JSON: " + body);
    }
  }

}
