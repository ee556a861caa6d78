package io.angora.engine.internal.process;

import com.sun.jna.Memory;
import io.angora.api.OutputChunk;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process started by {@link SpawnLauncher}: the leader of its own process group, watched
 * through a {@code pidfd} and reaped by this JVM (never by the JDK). Its two output pipes are
 * read on the job's own thread with {@code poll}, so a job costs no other thread. The pid is
 * only signalled while the process is not reaped, so a reused pid is never hit. Thread-safe:
 * one thread reads and reaps, any thread may signal.
 */
final class SpawnedProcess implements JobProcess {
  private static final Logger LOG = LoggerFactory.getLogger(SpawnedProcess.class);
  private static final int CHUNK = 16 * 1024;
  /** Each job thread keeps its buffers: the pollfd array, a native and a Java read buffer. */
  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
  /** How often a blocked reader looks at its thread's interrupt flag. */
  private static final int MAX_POLL_MILLIS = 1000;

  private final int pid;
  private final int pidfd;
  private final String what;
  private int out;
  private int err;
  private volatile boolean exited;
  private boolean reaped;
  private @Nullable OutputStream log;

  SpawnedProcess(int pid, int pidfd, int out, int err, String what) {
    this.pid = pid;
    this.pidfd = pidfd;
    this.out = out;
    this.err = err;
    this.what = what;
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public boolean isAlive() {
    return !exited && !pollExit(0);
  }

  @Override
  public boolean waitFor(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    while (isAlive()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      pollExit((int) Math.min(MAX_POLL_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
    }
    return true;
  }

  @Override
  public synchronized void destroy(boolean forcibly) {
    if (reaped) {
      return;
    }
    int signal = forcibly ? Posix.SIGKILL : Posix.SIGTERM;
    Posix.kill(-pid, signal); // its process group, which a zombie leader still holds
    Posix.pidfdSendSignal(pidfd, signal); // the leader itself, had it left its group
  }

  @Override
  public List<ProcessHandle> descendants() {
    return ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of());
  }

  /**
   * Reads both pipes into the tail (standard output also into the log) until the process
   * exits or the deadline passes.
   *
   * @param tail where the output goes
   * @param logFile where standard output also goes, or null
   * @param deadline a {@link System#nanoTime()} value, or {@link Long#MAX_VALUE} for none
   * @return whether the process has exited
   * @throws InterruptedException when the thread is interrupted
   */
  boolean readUntilExit(OutputTail tail, @Nullable OutputStream logFile, long deadline)
      throws InterruptedException {
    this.log = logFile;
    while (!exited) {
      if (!pollOnce(tail, deadline, true)) {
        return exited;
      }
    }
    return true;
  }

  /**
   * Reads what is left in the pipes after the process exited, until both are closed or the
   * deadline passes (a background process may hold them open).
   *
   * @param tail where the output goes
   * @param deadline a {@link System#nanoTime()} value
   * @return whether both pipes were read to their end
   * @throws InterruptedException when the thread is interrupted
   */
  boolean readRest(OutputTail tail, long deadline) throws InterruptedException {
    while (out >= 0 || err >= 0) {
      if (!pollOnce(tail, deadline, false)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reaps the exited process and closes what is still open.
   *
   * @return its exit code, {@code 128 + signal} when a signal ended it (as the JDK reports)
   */
  synchronized int reap() {
    int[] status = new int[1];
    int done;
    do {
      done = Posix.waitpid(pid, status, 0);
    } while (done < 0 && Posix.errno() == Posix.EINTR);
    reaped = true;
    exited = true;
    closeAll();
    if (done < 0) {
      LOG.warn("{}: cannot reap its process {}: {}", what, pid, Posix.strerror(Posix.errno()));
      return 128 + Posix.SIGKILL;
    }
    int signal = status[0] & 0x7f;
    return signal == 0 ? (status[0] >> 8) & 0xff : 128 + signal;
  }

  /** Closes the pipes and the pidfd; reaps nothing. For a launch given up. */
  synchronized void closeAll() {
    closePipe(OutputChunk.Stream.STDOUT);
    closePipe(OutputChunk.Stream.STDERR);
    if (pidfd >= 0 && !closedPidfd) {
      closedPidfd = true;
      Posix.close(pidfd);
    }
  }

  private boolean closedPidfd;

  /**
   * One {@code poll} on the open pipes (and the pidfd when {@code watchExit}); reads what is
   * ready. Returns false when the deadline passed with nothing to do.
   */
  private boolean pollOnce(OutputTail tail, long deadline, boolean watchExit)
      throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
    if (left <= 0) {
      return false;
    }
    int timeout = (int) Math.min(MAX_POLL_MILLIS, Math.max(1, (left + 999_999) / 1_000_000));
    Buffers buffers = BUFFERS.get();
    Memory fds = buffers.pollfds;
    int count = 0;
    int outSlot = -1;
    int errSlot = -1;
    int exitSlot = -1;
    if (out >= 0) {
      outSlot = count++;
      setPollfd(fds, outSlot, out);
    }
    if (err >= 0) {
      errSlot = count++;
      setPollfd(fds, errSlot, err);
    }
    if (watchExit) {
      exitSlot = count++;
      setPollfd(fds, exitSlot, pidfd);
    }
    int ready = Posix.poll(fds, count, timeout);
    if (ready < 0) {
      int errno = Posix.errno();
      if (errno == Posix.EINTR) {
        return true;
      }
      throw new IllegalStateException(what + ": poll failed: " + Posix.strerror(errno));
    }
    if (ready == 0) {
      return deadline == Long.MAX_VALUE || deadline - System.nanoTime() > 0;
    }
    if (outSlot >= 0 && revents(fds, outSlot) != 0) {
      readOnce(OutputChunk.Stream.STDOUT, tail, buffers);
    }
    if (errSlot >= 0 && revents(fds, errSlot) != 0) {
      readOnce(OutputChunk.Stream.STDERR, tail, buffers);
    }
    if (exitSlot >= 0 && revents(fds, exitSlot) != 0) {
      exited = true;
    }
    return true;
  }

  private void readOnce(OutputChunk.Stream stream, OutputTail tail, Buffers buffers) {
    int fd = stream == OutputChunk.Stream.STDOUT ? out : err;
    long n;
    do {
      n = Posix.read(fd, buffers.nativeChunk, CHUNK);
    } while (n < 0 && Posix.errno() == Posix.EINTR);
    if (n <= 0) {
      if (n < 0) {
        LOG.warn("cannot read {} of {}: {}", stream, what, Posix.strerror(Posix.errno()));
      }
      closePipe(stream);
      if (stream == OutputChunk.Stream.STDOUT) {
        closeLog();
      }
      return;
    }
    int length = (int) n;
    buffers.nativeChunk.read(0, buffers.chunk, 0, length);
    tail.write(stream, buffers.chunk, 0, length);
    OutputStream file = log;
    if (stream == OutputChunk.Stream.STDOUT && file != null) {
      try {
        file.write(buffers.chunk, 0, length);
      } catch (IOException e) {
        // keep draining (a job must not block on a full pipe) but stop writing the log
        LOG.warn("cannot write the log of {}; the rest is not logged", what, e);
        closeLog();
      }
    }
  }

  /** Closes the log file once standard output is at its end (or cannot be written). */
  void closeLog() {
    OutputStream file = log;
    log = null;
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        LOG.warn("cannot close the log of {}", what, e);
      }
    }
  }

  private synchronized void closePipe(OutputChunk.Stream stream) {
    if (stream == OutputChunk.Stream.STDOUT && out >= 0) {
      Posix.close(out);
      out = -1;
    } else if (stream == OutputChunk.Stream.STDERR && err >= 0) {
      Posix.close(err);
      err = -1;
    }
  }

  /** Whether the process has exited, waiting up to {@code millis}; never reaps. */
  private boolean pollExit(int millis) {
    synchronized (this) {
      if (reaped || closedPidfd) {
        return true;
      }
    }
    Memory fd = BUFFERS.get().exitPollfd;
    setPollfd(fd, 0, pidfd);
    int ready = Posix.poll(fd, 1, millis);
    if (ready > 0) {
      exited = true;
    }
    return exited;
  }

  private static void setPollfd(Memory fds, int slot, int fd) {
    fds.setInt(slot * 8L, fd);
    fds.setShort(slot * 8L + 4, Posix.POLLIN);
    fds.setShort(slot * 8L + 6, (short) 0);
  }

  private static short revents(Memory fds, int slot) {
    return fds.getShort(slot * 8L + 6);
  }

  /** A thread's reusable buffers. */
  private static final class Buffers {
    final Memory pollfds = new Memory(3 * 8);
    final Memory exitPollfd = new Memory(8);
    final Memory nativeChunk = new Memory(CHUNK);
    final byte[] chunk = new byte[CHUNK];
  }
}
