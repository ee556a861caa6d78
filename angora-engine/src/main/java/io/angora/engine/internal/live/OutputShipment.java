package io.angora.engine.internal.live;

import io.angora.api.Job;
import io.angora.api.JobEvent;
import io.angora.api.OutputChunk;
import io.angora.api.OutputListener;
import io.angora.api.Subscription;
import io.angora.api.Transport;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships one running job's output: the job's reading thread only appends what it writes to a
 * bounded buffer ({@link #onChunk}, never blocking, the oldest bytes dropped beyond the
 * limit); a timer thread publishes the buffer every interval ({@link #tick}) as
 * {@link JobEvent.JobOutput} events of bounded size, as long as the bytes published and not
 * yet accepted by the transport stay under their cap (else those bytes are dropped: the
 * coordinator sees the offsets jump). Thread-safe.
 */
final class OutputShipment implements OutputListener {
  private static final Logger log = LoggerFactory.getLogger(OutputShipment.class);

  private final Job job;
  private final String worker;
  private final Transport transport;
  private final Clock clock;
  private final ShippingLimits limits;
  /** Kept output not shipped yet, oldest first; guarded by itself. */
  private final Deque<Piece> pending = new ArrayDeque<>();
  private long pendingBytes; // guarded by pending
  private final AtomicLong inFlight = new AtomicLong();
  /** Orders the publications: a tick and the last flush never interleave. */
  private final Object sending = new Object();
  private @Nullable Subscription following; // guarded by sending
  private boolean shipped; // guarded by sending
  private boolean finished; // guarded by sending
  private long dropped; // guarded by sending

  OutputShipment(Job job, String worker, Transport transport, Clock clock,
      ShippingLimits limits) {
    this.job = job;
    this.worker = worker;
    this.transport = transport;
    this.clock = clock;
    this.limits = limits;
  }

  /** On the job's reading thread: copies, trims to the limit, never blocks. */
  @Override
  public void onChunk(OutputChunk chunk) {
    byte[] bytes = chunk.bytes();
    synchronized (pending) {
      Piece last = pending.peekLast();
      if (last != null && last.stream == chunk.stream() && last.end() == chunk.offset()) {
        last.bytes.writeBytes(bytes);
      } else {
        pending.addLast(new Piece(chunk.stream(), chunk.offset(), bytes));
      }
      pendingBytes += bytes.length;
      // Trimmed to three quarters, so a job writing fast copies the buffer now and then only.
      long keep = pendingBytes > limits.maxPendingBytes() ? limits.maxPendingBytes() * 3L / 4
          : pendingBytes;
      while (pendingBytes > keep) {
        Piece first = pending.peekFirst();
        long excess = pendingBytes - keep;
        if (first.bytes.size() <= excess) {
          pending.removeFirst();
          pendingBytes -= first.bytes.size();
        } else {
          first.dropFirst((int) excess);
          pendingBytes -= excess;
        }
      }
    }
  }

  /**
   * On the timer: follows the job's output once the executor runs it, and ships what came.
   *
   * @param follow starts following; empty while the executor does not run the job yet
   */
  void tick(Function<OutputListener, Optional<Subscription>> follow) {
    synchronized (sending) {
      if (finished) {
        return;
      }
      if (following == null) {
        following = follow.apply(this).orElse(null);
      }
      ship();
    }
  }

  /**
   * The job ended: stops following and, if some output was shipped already (someone may be
   * watching it grow), ships the rest, before the outcome is reported. A job that ended before
   * anything was shipped costs nothing on the wire: its outcome carries its output.
   */
  void finish() {
    synchronized (sending) {
      if (finished) {
        return;
      }
      finished = true;
      if (following != null) {
        following.close();
      }
      if (shipped) {
        ship();
      }
      if (dropped > 0) {
        log.debug("Live output of run {}: {} bytes not shipped", job.runId(), dropped);
      }
    }
  }

  /** Publishes the pending output in events of bounded size; guarded by sending. */
  private void ship() {
    List<Piece> taken;
    synchronized (pending) {
      if (pending.isEmpty()) {
        return;
      }
      taken = new ArrayList<>(pending);
      pending.clear();
      pendingBytes = 0;
    }
    List<OutputChunk> event = new ArrayList<>();
    int eventBytes = 0;
    for (Piece piece : taken) {
      byte[] bytes = piece.bytes.toByteArray();
      for (int from = 0; from < bytes.length; ) {
        int length = Math.min(bytes.length - from, limits.maxEventBytes() - eventBytes);
        event.add(new OutputChunk(piece.stream, piece.offset + from,
            Arrays.copyOfRange(bytes, from, from + length)));
        eventBytes += length;
        from += length;
        if (eventBytes == limits.maxEventBytes()) {
          publish(event, eventBytes);
          event = new ArrayList<>();
          eventBytes = 0;
        }
      }
    }
    if (eventBytes > 0) {
      publish(event, eventBytes);
    }
  }

  private void publish(List<OutputChunk> chunks, int bytes) {
    if (inFlight.get() + bytes > limits.maxInFlightBytes()) {
      dropped += bytes; // the coordinator is slow or the broker pushes back: never wait
      return;
    }
    inFlight.addAndGet(bytes);
    CompletableFuture<Void> sent;
    try {
      sent = transport.report(new JobEvent.JobOutput(job.runId(), job.task().name(), chunks,
          worker, clock.instant()));
      shipped = true;
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((ok, error) -> {
      inFlight.addAndGet(-bytes);
      if (error != null) {
        log.debug("Live output of run {} not shipped: {}", job.runId(), error.toString());
      }
    });
  }

  /** Bytes of one stream, contiguous. */
  private static final class Piece {
    final OutputChunk.Stream stream;
    long offset;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Piece(OutputChunk.Stream stream, long offset, byte[] first) {
      this.stream = stream;
      this.offset = offset;
      bytes.writeBytes(first);
    }

    long end() {
      return offset + bytes.size();
    }

    void dropFirst(int count) {
      byte[] all = bytes.toByteArray();
      bytes = new ByteArrayOutputStream(all.length - count);
      bytes.write(all, count, all.length - count);
      offset += count;
    }
  }
}
