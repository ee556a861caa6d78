package io.angora.engine.internal.process;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Starts job processes with the C library's {@code posix_spawnp} (a {@code vfork}-like clone
 * and one {@code exec}, on every JDK, where the JDK 17 default runs a helper program first and
 * JDK 25 deprecates {@code VFORK}). The child gets standard input from {@code /dev/null}, two
 * pipes for its output, no other inherited descriptor, default signal dispositions, an empty
 * signal mask, its own process group, and the working directory when one is set. Stateless
 * and thread-safe.
 */
public final class SpawnLauncher {
  private static final Charset CHARSET = Posix.nativeCharset();
  private static final Memory DEV_NULL = Posix.cString("/dev/null", CHARSET);
  /**
   * Each launching thread keeps its native scratch (file actions, attributes, signal sets):
   * every JNA {@link Memory} is registered with JNA's cleaner thread, which a few allocations
   * per job kept busy.
   */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private SpawnLauncher() {}

  /**
   * Why this launcher cannot run here (not Linux, no JNA, an old C library).
   *
   * @return the reason, or empty when it can run
   */
  public static java.util.Optional<String> unavailable() {
    return Posix.unavailable();
  }

  /**
   * Starts a process.
   *
   * @param words the program and its arguments
   * @param environment {@code NAME=value} strings
   * @param directory the working directory, or null for the JVM's
   * @param what names the job in log messages
   * @return the started process
   * @throws CannotStartException when it cannot start; the message names the program
   */
  static SpawnedProcess start(List<String> words, List<String> environment,
      @Nullable Path directory, String what) {
    int[] outPipe = pipe(words);
    int[] errPipe;
    try {
      errPipe = pipe(words);
    } catch (CannotStartException e) {
      Posix.close(outPipe[0]);
      Posix.close(outPipe[1]);
      throw e;
    }
    Scratch scratch = SCRATCH.get();
    Memory actions = scratch.actions;
    Memory attributes = scratch.attributes;
    Memory mask = scratch.mask;
    Memory defaults = scratch.defaults;
    Memory dir = null;
    int[] pid = new int[1];
    int error;
    Posix.posix_spawn_file_actions_init(actions);
    Posix.posix_spawnattr_init(attributes);
    try {
      check(Posix.posix_spawn_file_actions_adddup2(actions, outPipe[1], 1), words);
      check(Posix.posix_spawn_file_actions_adddup2(actions, errPipe[1], 2), words);
      check(Posix.posix_spawn_file_actions_addopen(actions, 0, DEV_NULL, Posix.O_RDONLY, 0),
          words);
      if (directory != null) {
        dir = Posix.cString(directory.toString(), CHARSET);
        check(Posix.posix_spawn_file_actions_addchdir_np(actions, dir), words);
      }
      check(Posix.posix_spawn_file_actions_addclosefrom_np(actions, 3), words);
      Posix.sigemptyset(mask);
      Posix.sigfillset(defaults);
      check(Posix.posix_spawnattr_setsigmask(attributes, mask), words);
      check(Posix.posix_spawnattr_setsigdefault(attributes, defaults), words);
      check(Posix.posix_spawnattr_setpgroup(attributes, 0), words);
      check(Posix.posix_spawnattr_setflags(attributes, (short) (Posix.POSIX_SPAWN_SETPGROUP
          | Posix.POSIX_SPAWN_SETSIGDEF | Posix.POSIX_SPAWN_SETSIGMASK)), words);
      StringBlock block = StringBlock.of(words, environment);
      error = Posix.posix_spawnp(pid, block.memory.getPointer(block.argv), actions, attributes,
          block.pointer(block.argv), block.pointer(block.envp));
      Reference.reachabilityFence(block);
    } catch (CannotStartException e) {
      closeAll(outPipe, errPipe);
      throw e;
    } finally {
      Posix.posix_spawn_file_actions_destroy(actions);
      Posix.posix_spawnattr_destroy(attributes);
      Reference.reachabilityFence(dir);
    }
    Posix.close(outPipe[1]);
    Posix.close(errPipe[1]);
    if (error != 0) {
      Posix.close(outPipe[0]);
      Posix.close(errPipe[0]);
      throw new CannotStartException(JobLaunch.cannotStart(words.get(0), directory,
          Posix.strerror(error)));
    }
    int pidfd = Posix.pidfdOpen(pid[0]);
    if (pidfd < 0) {
      // cannot happen for an unreaped child on Linux 5.3+ (checked when the launcher loads)
      String why = Posix.strerror(Posix.errno());
      Posix.kill(-pid[0], Posix.SIGKILL);
      Posix.waitpid(pid[0], new int[1], 0);
      Posix.close(outPipe[0]);
      Posix.close(errPipe[0]);
      throw new CannotStartException("cannot watch '" + words.get(0) + "': pidfd_open: " + why);
    }
    return new SpawnedProcess(pid[0], pidfd, outPipe[0], errPipe[0], what);
  }

  private static int[] pipe(List<String> words) {
    int[] fds = new int[2];
    if (Posix.pipe2(fds, Posix.O_CLOEXEC) != 0) {
      throw new CannotStartException("cannot start '" + words.get(0) + "': pipe: "
          + Posix.strerror(Posix.errno()));
    }
    return fds;
  }

  private static void closeAll(int[] outPipe, int[] errPipe) {
    for (int fd : new int[] {outPipe[0], outPipe[1], errPipe[0], errPipe[1]}) {
      Posix.close(fd);
    }
  }

  private static void check(int error, List<String> words) {
    if (error != 0) {
      throw new CannotStartException("cannot start '" + words.get(0) + "': posix_spawn set-up: "
          + Posix.strerror(error));
    }
  }

  /** A thread's reusable native scratch for {@code posix_spawn}'s arguments. */
  private static final class Scratch {
    final Memory actions = new Memory(Posix.FILE_ACTIONS_BYTES);
    final Memory attributes = new Memory(Posix.ATTRIBUTES_BYTES);
    final Memory mask = new Memory(Posix.SIGSET_BYTES);
    final Memory defaults = new Memory(Posix.SIGSET_BYTES);
  }

  /**
   * The program, its argument vector and its environment in one native block: the two
   * NULL-terminated pointer arrays, then every NUL-terminated string (the program's name is
   * the first argument's string).
   */
  private static final class StringBlock {
    final Memory memory;
    final long argv;
    final long envp;

    private StringBlock(Memory memory, long argv, long envp) {
      this.memory = memory;
      this.argv = argv;
      this.envp = envp;
    }

    Pointer pointer(long offset) {
      return new Pointer(Pointer.nativeValue(memory) + offset);
    }

    static StringBlock of(List<String> words, List<String> environment) {
      List<byte[]> strings = new ArrayList<>(words.size() + environment.size());
      long bytes = 0;
      for (String word : words) {
        byte[] encoded = word.getBytes(CHARSET);
        strings.add(encoded);
        bytes += encoded.length + 1;
      }
      for (String pair : environment) {
        byte[] encoded = pair.getBytes(CHARSET);
        strings.add(encoded);
        bytes += encoded.length + 1;
      }
      long pointers = (words.size() + 1L + environment.size() + 1L) * Native.POINTER_SIZE;
      Memory memory = new Memory(pointers + bytes);
      long argv = 0;
      long envp = (words.size() + 1L) * Native.POINTER_SIZE;
      long at = pointers;
      long base = Pointer.nativeValue(memory); // plain pointers: no cleaner registration each
      for (int i = 0; i < strings.size(); i++) {
        byte[] string = strings.get(i);
        memory.write(at, string, 0, string.length);
        memory.setByte(at + string.length, (byte) 0);
        long slot = i < words.size() ? argv + (long) i * Native.POINTER_SIZE
            : envp + (long) (i - words.size()) * Native.POINTER_SIZE;
        memory.setPointer(slot, new Pointer(base + at));
        at += string.length + 1;
      }
      memory.setPointer(argv + (long) words.size() * Native.POINTER_SIZE, Pointer.NULL);
      memory.setPointer(envp + (long) environment.size() * Native.POINTER_SIZE, Pointer.NULL);
      return new StringBlock(memory, argv, envp);
    }
  }
}
