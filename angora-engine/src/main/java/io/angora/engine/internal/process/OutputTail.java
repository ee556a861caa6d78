package io.angora.engine.internal.process;

import io.angora.api.OutputChunk;
import io.angora.api.OutputListener;
import io.angora.api.OutputSnapshot;
import io.angora.api.Subscription;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the newest bytes a job wrote, up to a limit, each marked with the stream it came from:
 * a ring buffer that starts small and grows to the limit only for a job that writes that much,
 * plus the positions where the stream changes. Followers get every write as it happens.
 * Thread-safe: the job's reading thread (or threads) write, anyone reads and follows.
 */
public final class OutputTail {
  private static final Logger LOG = LoggerFactory.getLogger(OutputTail.class);
  private static final int INITIAL_SIZE = 1024;
  private static final int INITIAL_MARKS = 4;
  private static final OutputListener[] NO_FOLLOWERS = new OutputListener[0];

  private final int limit;
  private byte[] buffer;
  private int start;
  private int size;
  private long written;
  /** Ring of stream changes: where each kept segment starts, and its stream. */
  private long[] markAt = new long[INITIAL_MARKS];
  private byte[] markStream = new byte[INITIAL_MARKS];
  private int markHead;
  private int marks;
  private boolean ended;
  /** Copy-on-write; read without the lock to keep an unfollowed write cheap. */
  private volatile OutputListener[] followers = NO_FOLLOWERS;

  /**
   * Creates an empty tail.
   *
   * @param limit how many of the newest bytes are kept, at least 1
   */
  public OutputTail(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("output tail limit must be at least 1 byte: " + limit);
    }
    this.limit = limit;
    this.buffer = new byte[Math.min(limit, INITIAL_SIZE)];
  }

  /**
   * Appends standard output bytes, dropping the oldest ones beyond the limit.
   *
   * @param bytes the source
   * @param offset where the bytes start in it
   * @param length how many
   */
  public void write(byte[] bytes, int offset, int length) {
    write(OutputChunk.Stream.STDOUT, bytes, offset, length);
  }

  /**
   * Appends bytes of a stream, dropping the oldest ones beyond the limit, and hands them to the
   * followers.
   *
   * @param stream where the bytes come from
   * @param bytes the source
   * @param offset where the bytes start in it
   * @param length how many
   */
  public synchronized void write(OutputChunk.Stream stream, byte[] bytes, int offset,
      int length) {
    if (length <= 0) {
      return;
    }
    long at = written;
    mark(stream, at);
    append(bytes, offset, length);
    dropMarksBefore(written - size);
    OutputListener[] now = followers;
    if (now.length > 0) {
      OutputChunk chunk = new OutputChunk(stream, at, Arrays.copyOfRange(bytes, offset,
          offset + length));
      for (OutputListener follower : now) {
        deliver(follower, chunk);
      }
    }
  }

  /**
   * Counts bytes that never reached this tail (a remote job's output not shipped): the kept
   * bytes are let go, since they no longer end where the next write starts, and followers
   * see the next write's offset jump.
   *
   * @param bytes how many, 0 or more
   */
  public synchronized void skip(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("cannot skip a negative number of bytes: " + bytes);
    }
    if (bytes == 0) {
      return;
    }
    written += bytes;
    start = 0;
    size = 0;
    markHead = 0;
    marks = 0;
  }

  /** How many bytes were written in all, including those dropped. */
  public synchronized long written() {
    return written;
  }

  /**
   * Marks the output closed: followers get {@link OutputListener#onEnd()} and are let go.
   * Later writes are still kept but reach no follower.
   */
  public void end() {
    OutputListener[] was;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      was = followers;
      followers = NO_FOLLOWERS;
    }
    for (OutputListener follower : was) {
      try {
        follower.onEnd();
      } catch (RuntimeException e) {
        LOG.warn("An output follower failed at the end of the output", e);
      }
    }
  }

  /**
   * The kept output, in chunks of one stream each.
   *
   * @param runId the run, named in the snapshot
   * @return the snapshot
   */
  public synchronized OutputSnapshot snapshot(String runId) {
    return new OutputSnapshot(runId, chunks(), written, ended);
  }

  /**
   * Follows the output: the kept output at once (as chunks), then each write, then the end.
   *
   * @param listener the follower
   * @return stops the following
   */
  public Subscription follow(OutputListener listener) {
    boolean endNow;
    synchronized (this) {
      for (OutputChunk chunk : chunks()) {
        if (!deliver(listener, chunk)) {
          return () -> { };
        }
      }
      endNow = ended;
      if (!endNow) {
        OutputListener[] now = followers;
        OutputListener[] more = Arrays.copyOf(now, now.length + 1);
        more[now.length] = listener;
        followers = more;
      }
    }
    if (endNow) {
      listener.onEnd();
    }
    return () -> unfollow(listener);
  }

  /**
   * Decodes the kept bytes of both streams, interleaved as they came, as UTF-8; when older
   * bytes were dropped, a character cut in two at the start is left out rather than shown as
   * garbage.
   */
  @Override
  public synchronized String toString() {
    byte[] bytes = kept();
    int from = 0;
    if (written > size) {
      while (from < Math.min(3, bytes.length) && (bytes[from] & 0xC0) == 0x80) {
        from++; // a UTF-8 continuation byte: the start of its character was dropped
      }
    }
    return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
  }

  private synchronized void unfollow(OutputListener listener) {
    OutputListener[] now = followers;
    for (int i = 0; i < now.length; i++) {
      if (now[i] == listener) {
        OutputListener[] fewer = new OutputListener[now.length - 1];
        System.arraycopy(now, 0, fewer, 0, i);
        System.arraycopy(now, i + 1, fewer, i, now.length - i - 1);
        followers = fewer;
        return;
      }
    }
  }

  /** Calls a follower; one that throws is let go. Returns whether it is still following. */
  private boolean deliver(OutputListener follower, OutputChunk chunk) {
    try {
      follower.onChunk(chunk);
      return true;
    } catch (RuntimeException e) {
      LOG.warn("An output follower failed; it follows no more", e);
      unfollow(follower);
      return false;
    }
  }

  private List<OutputChunk> chunks() {
    List<OutputChunk> chunks = new ArrayList<>(marks);
    byte[] bytes = kept();
    long first = written - size;
    for (int i = 0; i < marks; i++) {
      int slot = (markHead + i) % markAt.length;
      long from = Math.max(markAt[slot], first);
      long to = i + 1 < marks ? markAt[(slot + 1) % markAt.length] : written;
      if (to > from) {
        chunks.add(new OutputChunk(OutputChunk.Stream.values()[markStream[slot]], from,
            Arrays.copyOfRange(bytes, (int) (from - first), (int) (to - first))));
      }
    }
    return chunks;
  }

  private byte[] kept() {
    byte[] bytes = new byte[size];
    int first = Math.min(size, buffer.length - start);
    System.arraycopy(buffer, start, bytes, 0, first);
    System.arraycopy(buffer, 0, bytes, first, size - first);
    return bytes;
  }

  /** Records a change of stream at {@code at}, unless the last segment is the same stream. */
  private void mark(OutputChunk.Stream stream, long at) {
    byte code = (byte) stream.ordinal();
    if (marks > 0 && markStream[(markHead + marks - 1) % markAt.length] == code) {
      return;
    }
    if (marks == markAt.length) {
      int capacity = markAt.length * 2;
      long[] at2 = new long[capacity];
      byte[] stream2 = new byte[capacity];
      for (int i = 0; i < marks; i++) {
        at2[i] = markAt[(markHead + i) % markAt.length];
        stream2[i] = markStream[(markHead + i) % markAt.length];
      }
      markAt = at2;
      markStream = stream2;
      markHead = 0;
    }
    int slot = (markHead + marks) % markAt.length;
    markAt[slot] = at;
    markStream[slot] = code;
    marks++;
  }

  /** Forgets segments that lie wholly before {@code first}, the oldest kept position. */
  private void dropMarksBefore(long first) {
    while (marks > 1 && markAt[(markHead + 1) % markAt.length] <= first) {
      markHead = (markHead + 1) % markAt.length;
      marks--;
    }
  }

  private void append(byte[] bytes, int offset, int length) {
    written += length;
    if (length >= limit) {
      if (buffer.length < limit) {
        buffer = new byte[limit];
      }
      System.arraycopy(bytes, offset + length - limit, buffer, 0, limit);
      start = 0;
      size = limit;
      return;
    }
    if (size + length > buffer.length && buffer.length < limit) {
      grow(size + length);
    }
    int capacity = buffer.length;
    int end = (start + size) % capacity;
    int first = Math.min(length, capacity - end);
    System.arraycopy(bytes, offset, buffer, end, first);
    System.arraycopy(bytes, offset + first, buffer, 0, length - first);
    int overflow = size + length - capacity;
    if (overflow > 0) {
      start = (start + overflow) % capacity;
      size = capacity;
    } else {
      size += length;
    }
  }

  /** Grows the buffer to hold at least {@code needed} bytes. */
  private void grow(int needed) {
    int capacity = Math.min(limit, Math.max(needed, buffer.length * 2));
    buffer = copyInto(new byte[capacity]);
    start = 0;
  }

  private byte[] copyInto(byte[] bigger) {
    int first = Math.min(size, buffer.length - start);
    System.arraycopy(buffer, start, bigger, 0, first);
    System.arraycopy(buffer, 0, bigger, first, size - first);
    return bigger;
  }
}
