package io.angora.amqp.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads the shared key from a file the way a secret must be kept: a regular file readable by its
 * owner only, of at least {@value Signatures#MIN_KEY_BYTES} bytes, used byte for byte. Stateless.
 */
public final class KeyFile {
  /** How to make a good key file, for error messages. */
  public static final String HOW_TO_MAKE =
      "make one with: head -c 32 /dev/urandom > angora.key; chmod 600 angora.key";
  private static final int MAX_BYTES = 4096;
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private KeyFile() {}

  /**
   * Reads a key file.
   *
   * @param file the file
   * @return the key's bytes
   * @throws IllegalArgumentException naming the file and what is wrong: missing, not a regular
   *     file, readable or writable by group or others, too short or too long
   */
  public static byte[] read(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("shared key file " + file + " does not exist or is "
            + "not a regular file; " + HOW_TO_MAKE);
      }
      PosixFileAttributeView posix = Files.getFileAttributeView(file,
          PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (posix != null) {
        Set<PosixFilePermission> open = EnumSet.copyOf(OTHERS);
        open.retainAll(posix.readAttributes().permissions());
        if (!open.isEmpty()) {
          throw new IllegalArgumentException("shared key file " + file + " is accessible to "
              + "group or others (" + open + "); it must be readable by its owner only: chmod "
              + "600 " + file);
        }
      }
      if (Files.size(file) > MAX_BYTES) {
        throw new IllegalArgumentException("shared key file " + file + " is longer than "
            + MAX_BYTES + " bytes; is it the right file?");
      }
      byte[] key = Files.readAllBytes(file);
      if (key.length < Signatures.MIN_KEY_BYTES) {
        throw new IllegalArgumentException("shared key file " + file + " holds " + key.length
            + " bytes; at least " + Signatures.MIN_KEY_BYTES + " are needed; " + HOW_TO_MAKE);
      }
      return key;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read shared key file " + file + ": " + e, e);
    }
  }
}
