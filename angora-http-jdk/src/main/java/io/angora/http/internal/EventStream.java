package io.angora.http.internal;

import io.angora.api.Message;
import io.angora.api.Run;
import io.angora.api.RunListener;
import io.angora.engine.schedule.Schedule;
import io.angora.http.HttpException;
import io.angora.http.HttpReply;
import io.angora.http.HttpRoute;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/events}: server-sent events of runs as they change ({@code run}), messages as
 * they arrive ({@code message}), messages schedules send ({@code schedule}, besides the
 * {@code message}) and workers seen, changing their running count, or lost ({@code worker},
 * see {@link WorkerWatch}). Each event's data is the JSON the other endpoints use.
 *
 * <p>The engine never waits for a client: it only offers each event to every client's bounded
 * queue, and a client whose queue is full (a slow reader) is dropped; its stream ends with an
 * {@code overflow} event, and the browser reconnects and reloads what it shows. Each stream is
 * written by its request thread, with a comment line as heartbeat when nothing happened for a
 * while, so that proxies keep the connection open. At most {@code maxClients} streams are open
 * at once (each holds a request thread); more get 503. Thread-safe.
 */
public final class EventStream implements RunListener {
  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  private static final String END = "\u0000end";

  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  private final int queueSize;
  private final int maxClients;
  private final Duration heartbeat;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Creates the stream.
   *
   * @param queueSize events buffered per client before it is dropped as too slow
   * @param maxClients streams open at once
   * @param heartbeat how long a stream stays silent before a heartbeat comment
   */
  public EventStream(int queueSize, int maxClients, Duration heartbeat) {
    this.queueSize = queueSize;
    this.maxClients = maxClients;
    this.heartbeat = heartbeat;
  }

  /** The route. */
  public List<HttpRoute> routes() {
    return List.of(HttpRoute.get("/api/events", call -> open()));
  }

  @Override
  public void onRun(Run run) {
    publish("run", Views.run(run, false));
  }

  @Override
  public void onMessage(Message message) {
    publish("message", Views.message(message));
    Schedule.sentBy(message.id()).ifPresent(schedule -> {
      Map<String, Object> fired = new LinkedHashMap<>();
      fired.put("schedule", schedule);
      fired.put("messageId", message.id());
      fired.put("text", message.text());
      fired.put("sentAt", message.sentAt());
      publish("schedule", fired);
    });
  }

  /** Ends every stream; later requests get 503. */
  public void close() {
    closed.set(true);
    clients.forEach(Client::end);
  }

  /** Streams open now. */
  int clientCount() {
    return clients.size();
  }

  /**
   * Offers an event to every client.
   *
   * @param kind the event's name
   * @param data its data, written as JSON
   */
  void publish(String kind, Object data) {
    if (clients.isEmpty()) {
      return;
    }
    String event = "event: " + kind + "\ndata: " + new String(Json.write(data),
        StandardCharsets.UTF_8) + "\n\n";
    for (Client client : clients) {
      client.offer(event);
    }
  }

  private HttpReply open() {
    if (closed.get()) {
      throw new HttpException(503, "server is stopping");
    }
    Client client = new Client(new ArrayBlockingQueue<>(queueSize));
    synchronized (clients) {
      if (clients.size() >= maxClients) {
        throw new HttpException(503, "too many event streams open (" + maxClients
            + "); close one or poll the API");
      }
      clients.add(client);
    }
    return HttpReply.stream("text/event-stream; charset=utf-8", out -> {
      try {
        client.pump(out);
      } finally {
        clients.remove(client);
      }
    }).withHeader("Cache-Control", "no-store").withHeader("X-Accel-Buffering", "no");
  }

  /** One open stream: its queue, filled by the engine, emptied by its request thread. */
  private final class Client {
    private final BlockingQueue<String> queue;
    private volatile boolean overflowed;
    private volatile boolean ended;

    Client(BlockingQueue<String> queue) {
      this.queue = queue;
    }

    void offer(String event) {
      if (ended) {
        return;
      }
      if (!queue.offer(event) && !overflowed) {
        overflowed = true;
        log.info("Event stream client dropped: it read too slowly ({} events waiting)",
            queue.size());
        end();
      }
    }

    void end() {
      ended = true;
      queue.clear();
      queue.offer(END);
    }

    void pump(OutputStream out) throws IOException {
      // The retry hint and a first line at once: the client knows the stream is up.
      write(out, "retry: 2000\n: connected\n\n");
      long beat = heartbeat.toMillis();
      while (true) {
        String event;
        try {
          event = queue.poll(beat, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (ended) {
          if (overflowed) {
            write(out, "event: overflow\ndata: {}\n\n");
          }
          return;
        } else if (event == null) {
          write(out, ": heartbeat\n\n");
        } else {
          write(out, event);
        }
      }
    }

    private void write(OutputStream out, String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }
}
