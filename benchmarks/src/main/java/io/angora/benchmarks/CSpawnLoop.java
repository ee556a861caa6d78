package io.angora.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine's own limit: a C program launching {@code true} with {@code posix_spawnp} on
 * {@code threads} threads in parallel (output to {@code /dev/null}, {@code waitpid}), compiled
 * with {@code cc} into the benchmarks' {@code target/} directory when the harness starts. No
 * JVM is involved. Not thread-safe; one loop at a time.
 */
final class CSpawnLoop {
  private static final String SOURCE = """
      #include <fcntl.h>
      #include <pthread.h>
      #include <spawn.h>
      #include <stdatomic.h>
      #include <stdio.h>
      #include <stdlib.h>
      #include <sys/resource.h>
      #include <sys/wait.h>
      #include <time.h>

      extern char **environ;
      static atomic_long left;
      static posix_spawn_file_actions_t actions;

      static void *loop(void *unused) {
        char *argv[] = {"true", NULL};
        while (atomic_fetch_sub(&left, 1) > 0) {
          pid_t pid;
          int error = posix_spawnp(&pid, "true", &actions, NULL, argv, environ);
          if (error != 0) {
            fprintf(stderr, "posix_spawnp: error %d\\n", error);
            exit(1);
          }
          int status;
          if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "true failed\\n");
            exit(1);
          }
        }
        return NULL;
      }

      int main(int argc, char **argv) {
        if (argc != 3) {
          fprintf(stderr, "usage: %s COUNT THREADS\\n", argv[0]);
          return 2;
        }
        long count = atol(argv[1]);
        int threads = atoi(argv[2]);
        atomic_store(&left, count);
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
        pthread_t ids[threads];
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (int i = 0; i < threads; i++) {
          pthread_create(&ids[i], NULL, loop, NULL);
        }
        for (int i = 0; i < threads; i++) {
          pthread_join(ids[i], NULL);
        }
        clock_gettime(CLOCK_MONOTONIC, &end);
        struct rusage usage;
        getrusage(RUSAGE_SELF, &usage);
        long long elapsed = (end.tv_sec - start.tv_sec) * 1000000000LL
            + (end.tv_nsec - start.tv_nsec);
        long long cpu = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000LL
            + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000LL;
        printf("%lld %lld\\n", elapsed, cpu);
        return 0;
      }
      """;

  private final Path program;
  private final int threads;

  private CSpawnLoop(Path program, int threads) {
    this.program = program;
    this.threads = threads;
  }

  /** What one run of the loop measured. */
  record Result(long elapsedNanos, long cpuNanos) {}

  /** The loop could not be built here; the message says why. */
  static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }

  /**
   * Compiles the loop.
   *
   * @param threads loops in parallel
   * @return the loop
   * @throws Unavailable when there is no {@code cc} or it fails
   */
  static CSpawnLoop compile(int threads) throws Unavailable {
    Path dir = targetDirectory();
    Path source = dir.resolve("angora-cspawn.c");
    Path program = dir.resolve("angora-cspawn");
    try {
      Files.createDirectories(dir);
      Files.writeString(source, SOURCE, StandardCharsets.UTF_8);
      Process cc = new ProcessBuilder("cc", "-O2", "-pthread", "-o", program.toString(),
          source.toString()).redirectErrorStream(true).start();
      String said = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!cc.waitFor(120, TimeUnit.SECONDS) || cc.exitValue() != 0) {
        throw new Unavailable("cc could not compile " + source + ": " + said.strip());
      }
    } catch (IOException e) {
      throw new Unavailable("no C compiler: cannot run cc (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while compiling");
    }
    return new CSpawnLoop(program, threads);
  }

  /**
   * Launches {@code count} processes in all.
   *
   * @param count processes to launch
   * @return elapsed time and the program's own CPU time
   * @throws InterruptedException when interrupted
   */
  Result run(int count) throws InterruptedException {
    try {
      Process loop = new ProcessBuilder(program.toString(), Integer.toString(count),
          Integer.toString(threads)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(loop.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      if (loop.waitFor() != 0) {
        throw new IllegalStateException(program + " failed with exit code " + loop.exitValue());
      }
      List<String> fields = List.of(out.strip().split(" "));
      return new Result(Long.parseLong(fields.get(0)), Long.parseLong(fields.get(1)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + program, e);
    }
  }

  /** {@code target/} of the benchmarks module: where its classes or its jar are. */
  private static Path targetDirectory() {
    try {
      Path location = Path.of(CSpawnLoop.class.getProtectionDomain().getCodeSource()
          .getLocation().toURI());
      Path parent = location.getParent(); // target/ for target/classes and target/*.jar
      return parent != null ? parent : Path.of("target");
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return Path.of("target");
    }
  }
}
