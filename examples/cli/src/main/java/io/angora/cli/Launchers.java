package io.angora.cli;

import io.angora.engine.ProcessExecutor;

/** {@code --launcher auto|posix_spawn|jdk}: how the process executor starts jobs. */
final class Launchers {
  static final String OPTION = "launcher";

  private Launchers() {}

  /**
   * The process executor the options ask for.
   *
   * @param args the parsed options
   * @return the executor, closed with the engine
   * @throws IllegalArgumentException for an unknown launcher, or posix_spawn where it cannot run
   */
  static ProcessExecutor executor(Args args) {
    ProcessExecutor.Launcher launcher =
        ProcessExecutor.Launcher.parse(args.get(OPTION, "auto"));
    try {
      return ProcessExecutor.builder().launcher(launcher).build();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("--launcher " + args.get(OPTION, "auto") + ": "
          + e.getMessage(), e);
    }
  }
}
