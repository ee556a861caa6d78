package io.angora.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Embed it" section, built and run from the README's own text: its install step
 * (into a temporary local repository, never the shared one), its {@code pom.xml} and its
 * {@code App.java}, with real Maven and real processes. Third-party artifacts come from the
 * user's local repository, read as a mirror, so no network is needed.
 */
class ReadmeEmbedIT {
  private static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();

  @TempDir Path work;

  @Test
  void theEmbedItSectionBuildsAndRunsAsWritten() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int start = readme.indexOf("\n## Embed it\n");
    assertThat(start).as("README has an 'Embed it' section").isPositive();
    int end = readme.indexOf("\n## ", start + 5);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    assertThat(section).contains("    mvn -B install -DskipTests")
        .contains("    mvn -q compile dependency:copy-dependencies\n"
            + "    java -cp \"target/classes:target/dependency/*\" App\n");
    String pom = block(section, "xml");
    String app = block(section, "java");

    Path repo = work.resolve("repo");
    Path settings = work.resolve("settings.xml");
    Path shared = Path.of(System.getProperty("user.home"), ".m2", "repository");
    Files.writeString(settings, """
        <settings>
          <localRepository>%s</localRepository>
          <mirrors>
            <mirror>
              <id>local-as-remote</id>
              <mirrorOf>*</mirrorOf>
              <url>%s</url>
            </mirror>
          </mirrors>
        </settings>
        """.formatted(repo, shared.toUri()));

    // The README's install step, into the temporary repository; only what an embedding needs.
    // The install plugin is named with the reactor's version: the BOM has no parent, and the
    // super POM's old default is not in every local repository.
    Result install = mvn(ROOT, settings, "-B", "-q", "package",
        "org.apache.maven.plugins:maven-install-plugin:3.1.4:install", "-DskipTests",
        "-Dmaven.test.skip=true", "-Denforcer.skip=true", "-pl", "angora-bom,angora-engine",
        "-am");
    assertThat(install.exit()).as(install.output()).isZero();

    Path project = Files.createDirectories(work.resolve("app"));
    Files.writeString(project.resolve("pom.xml"), pom);
    Path sources = Files.createDirectories(project.resolve("src/main/java"));
    Files.writeString(sources.resolve("App.java"), app);
    Result build = mvn(project, settings, "-q", "compile", "dependency:copy-dependencies");
    assertThat(build.exit()).as(build.output()).isZero();
    Result run = run(project, List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", "target/classes:target/dependency/*", "App"));

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("hello: SUCCEEDED, hello from Angora")
        .contains("after: SUCCEEDED, after hello")
        .contains("hello QUEUED").contains("hello RUNNING").contains("hello SUCCEEDED")
        .doesNotContain("No SLF4J providers");
  }

  private static String block(String markdown, String language) {
    Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL)
        .matcher(markdown);
    assertThat(m.find()).as("a ```%s block in the section", language).isTrue();
    return m.group(1);
  }

  record Result(int exit, String output) {}

  private Result mvn(Path dir, Path settings, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("mvn", "-s", settings.toString(),
        "-Dstyle.color=never"));
    command.addAll(List.of(args));
    return run(dir, command);
  }

  private Result run(Path dir, List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile(work, "mvn", ".log");
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("%s finishes", command)
        .isTrue();
    return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
