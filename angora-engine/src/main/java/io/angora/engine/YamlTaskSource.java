package io.angora.engine;

import io.angora.api.TaskDefinition;
import io.angora.api.TaskSource;
import java.nio.file.Path;
import java.util.List;

/** TEMPORARY until the real one lands. */
public final class YamlTaskSource implements TaskSource {
  private final Path dir;

  private YamlTaskSource(Path dir) {
    this.dir = dir;
  }

  public static YamlTaskSource directory(Path dir) {
    return new YamlTaskSource(dir);
  }

  @Override
  public List<TaskDefinition> load() {
    return List.of();
  }

  @Override
  public String description() {
    return dir.toString();
  }
}
