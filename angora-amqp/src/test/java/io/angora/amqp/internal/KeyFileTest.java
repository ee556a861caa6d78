package io.angora.amqp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
  @TempDir
  Path dir;

  @Test
  void readsAnOwnerOnlyFileByteForByte() throws Exception {
    Path file = dir.resolve("angora.key");
    byte[] key = new byte[40];
    key[3] = '\n';
    Files.write(file, key);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    assertThat(KeyFile.read(file)).isEqualTo(key);
  }

  @Test
  void refusesOpenShortAndMissingFiles() throws Exception {
    Path open = dir.resolve("open.key");
    Files.write(open, new byte[32]);
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r-----"));
    assertThatIllegalArgumentException().isThrownBy(() -> KeyFile.read(open))
        .withMessageContaining("group or others").withMessageContaining("chmod 600");
    Path shortKey = dir.resolve("short.key");
    Files.write(shortKey, new byte[16]);
    Files.setPosixFilePermissions(shortKey, PosixFilePermissions.fromString("rw-------"));
    assertThatIllegalArgumentException().isThrownBy(() -> KeyFile.read(shortKey))
        .withMessageContaining("16 bytes").withMessageContaining("head -c 32 /dev/urandom");
    assertThatIllegalArgumentException().isThrownBy(() -> KeyFile.read(dir.resolve("none")))
        .withMessageContaining("does not exist");
  }
}
