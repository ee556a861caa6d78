package io.angora.engine.internal.process;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The C library calls of the {@code posix_spawn} launcher, bound with JNA direct mapping
 * (Linux, glibc 2.34 or later for {@code posix_spawn_file_actions_addclosefrom_np}). Loading
 * is tried once; {@link #unavailable()} says why it failed. Stateless and thread-safe.
 */
final class Posix {
  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 0x80000;
  static final short POLLIN = 0x1;
  static final short POLLERR = 0x8;
  static final short POLLHUP = 0x10;
  static final short POLLNVAL = 0x20;
  static final int SIGKILL = 9;
  static final int SIGTERM = 15;
  static final int EINTR = 4;
  static final int ECHILD = 10;
  static final int ESRCH = 3;
  static final short POSIX_SPAWN_SETPGROUP = 0x02;
  static final short POSIX_SPAWN_SETSIGDEF = 0x04;
  static final short POSIX_SPAWN_SETSIGMASK = 0x08;
  /** Sizes of glibc's opaque types on 64-bit Linux are 80, 336 and 128 bytes: room to spare. */
  static final int FILE_ACTIONS_BYTES = 256;
  static final int ATTRIBUTES_BYTES = 512;
  static final int SIGSET_BYTES = 256;
  /** The same on every Linux architecture since 5.1 (the unified syscall table). */
  private static final long SYS_PIDFD_SEND_SIGNAL = 424;
  private static final long SYS_PIDFD_OPEN = 434;

  private static final Optional<String> UNAVAILABLE = load();

  private Posix() {}

  /** Why the calls cannot be made here, or empty when they can. */
  static Optional<String> unavailable() {
    return UNAVAILABLE;
  }

  /**
   * The charset the JDK uses for command lines and environments ({@code sun.jnu.encoding}), so
   * both launchers pass the same bytes.
   */
  static Charset nativeCharset() {
    String name = System.getProperty("sun.jnu.encoding");
    try {
      return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
    } catch (IllegalArgumentException e) {
      return StandardCharsets.UTF_8;
    }
  }

  private static Optional<String> load() {
    if (!Platform.isLinux()) {
      return Optional.of("posix_spawn launcher: Linux only, this is " + System.getProperty(
          "os.name"));
    }
    try {
      NativeLibrary c = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
      // Without it a job would inherit every descriptor the JVM has open without O_CLOEXEC
      // (other jobs' log files, sockets): refuse rather than leak.
      Function closefrom = c.getFunction("posix_spawn_file_actions_addclosefrom_np");
      Native.register(Posix.class, c);
      if (closefrom == null) {
        return Optional.of("posix_spawn launcher: no posix_spawn_file_actions_addclosefrom_np");
      }
      int pidfd = pidfdOpen((int) ProcessHandle.current().pid());
      if (pidfd < 0) {
        return Optional.of("posix_spawn launcher: no pidfd_open (Linux 5.3 or later): "
            + strerror(errno()));
      }
      close(pidfd);
      return Optional.empty();
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return Optional.of("posix_spawn launcher: cannot bind the C library: " + e.getMessage());
    }
  }

  /** A NUL-terminated copy of a string in native memory. */
  static Memory cString(String text, Charset charset) {
    byte[] bytes = text.getBytes(charset);
    Memory memory = new Memory(bytes.length + 1L);
    memory.write(0, bytes, 0, bytes.length);
    memory.setByte(bytes.length, (byte) 0);
    return memory;
  }

  static native int pipe2(int[] fds, int flags);

  static native int close(int fd);

  static native long read(int fd, Pointer buffer, long count);

  static native int poll(Pointer fds, long count, int timeoutMillis);

  static native int kill(int pid, int signal);

  static native int waitpid(int pid, int[] status, int options);

  static native int posix_spawnp(int[] pid, Pointer file, Pointer fileActions, Pointer attributes,
      Pointer argv, Pointer envp);

  static native int posix_spawn_file_actions_init(Pointer fileActions);

  static native int posix_spawn_file_actions_destroy(Pointer fileActions);

  static native int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

  static native int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, Pointer path,
      int flags, int mode);

  static native int posix_spawn_file_actions_addchdir_np(Pointer fileActions, Pointer path);

  static native int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);

  static native int posix_spawnattr_init(Pointer attributes);

  static native int posix_spawnattr_destroy(Pointer attributes);

  static native int posix_spawnattr_setflags(Pointer attributes, short flags);

  static native int posix_spawnattr_setpgroup(Pointer attributes, int group);

  static native int posix_spawnattr_setsigmask(Pointer attributes, Pointer mask);

  static native int posix_spawnattr_setsigdefault(Pointer attributes, Pointer signals);

  static native int sigemptyset(Pointer set);

  static native int sigfillset(Pointer set);

  static native int sigdelset(Pointer set, int signal);

  static native String strerror(int error);

  private static native long syscall(long number, int first, int second);

  private static native long syscall(long number, int first, int second, Pointer third,
      int fourth);

  /** {@code pidfd_open(pid, 0)}: a descriptor readable once the process has exited, or -1. */
  static int pidfdOpen(int pid) {
    return (int) syscall(SYS_PIDFD_OPEN, pid, 0);
  }

  /** {@code pidfd_send_signal}: signals exactly that process, never a reused pid. */
  static int pidfdSendSignal(int pidfd, int signal) {
    return (int) syscall(SYS_PIDFD_SEND_SIGNAL, pidfd, signal, Pointer.NULL, 0);
  }

  /** The calling thread's last {@code errno}. */
  static int errno() {
    return Native.getLastError();
  }
}
