package io.angora.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads heap, resident memory and CPU time of this JVM and of other processes. Stateless.
 */
final class MemoryUse {
  private MemoryUse() {}

  /**
   * Heap in use after asking for full collections, in bytes: what the live objects take.
   *
   * @return bytes of heap used
   */
  static long heapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    // Several rounds: one System.gc() may leave objects that finalization or weak
    // references release only in the next cycle; keep the smallest reading.
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }

  /**
   * Heap in use now, without collecting.
   *
   * @return bytes of heap used
   */
  static long heapUsed() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /**
   * The resident set size of a process, from {@code /proc/<pid>/status} (Linux).
   *
   * @param pid the process id
   * @return bytes resident, or empty where {@code /proc} does not tell
   */
  static OptionalLong rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String kb = line.substring("VmRSS:".length()).replace("kB", "").trim();
          return OptionalLong.of(Long.parseLong(kb) * 1024);
        }
      }
      return OptionalLong.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The resident set size of this JVM. */
  static OptionalLong ownRss() {
    return rss(ProcessHandle.current().pid());
  }

  /**
   * CPU time (user and system) a process has used so far, from {@code /proc/<pid>/stat}
   * (Linux; clock ticks, usually 10 ms).
   *
   * @param pid the process id
   * @return nanoseconds of CPU, or empty where {@code /proc} does not tell
   */
  static OptionalLong cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return OptionalLong.of(ticks * 10_000_000L);
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** CPU time this JVM has used so far, in nanoseconds (nanosecond resolution). */
  static long ownCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return cpuNanos(ProcessHandle.current().pid()).orElse(0);
  }
}
