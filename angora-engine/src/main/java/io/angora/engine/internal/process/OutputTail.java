package io.angora.engine.internal.process;

import java.nio.charset.StandardCharsets;

/**
 * Keeps the newest bytes written to it, up to a limit: a ring buffer that starts small and grows
 * to the limit only for a job that writes that much. Thread-safe: standard output and error of a
 * job are written to one tail from two threads, interleaved as they arrive.
 */
public final class OutputTail {
  private static final int INITIAL_SIZE = 4096;

  private final int limit;
  private byte[] buffer;
  private int start;
  private int size;
  private long written;

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
   * Appends bytes, dropping the oldest ones beyond the limit.
   *
   * @param bytes the source
   * @param offset where the bytes start in it
   * @param length how many
   */
  public synchronized void write(byte[] bytes, int offset, int length) {
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

  /** How many bytes were written in all, including those dropped. */
  public synchronized long written() {
    return written;
  }

  /**
   * Decodes the kept bytes as UTF-8; when older bytes were dropped, a character cut in two at
   * the start is left out rather than shown as garbage.
   */
  @Override
  public synchronized String toString() {
    byte[] bytes = new byte[size];
    int first = Math.min(size, buffer.length - start);
    System.arraycopy(buffer, start, bytes, 0, first);
    System.arraycopy(buffer, 0, bytes, first, size - first);
    int from = 0;
    if (written > size) {
      while (from < Math.min(3, bytes.length) && (bytes[from] & 0xC0) == 0x80) {
        from++; // a UTF-8 continuation byte: the start of its character was dropped
      }
    }
    return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
  }

  /** Grows the (not yet wrapped) buffer to hold at least {@code needed} bytes. */
  private void grow(int needed) {
    int capacity = Math.min(limit, Math.max(needed, buffer.length * 2));
    byte[] bigger = new byte[capacity];
    int first = Math.min(size, buffer.length - start);
    System.arraycopy(buffer, start, bigger, 0, first);
    System.arraycopy(buffer, 0, bigger, first, size - first);
    buffer = bigger;
    start = 0;
  }
}
