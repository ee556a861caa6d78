package io.angora.amqp.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Decodes UTF-8 without replacing bad bytes: bad input is an error. Thread-safe. */
public final class StrictUtf8 {
  private StrictUtf8() {}

  /**
   * Decodes bytes that must be valid UTF-8.
   *
   * @param bytes the body
   * @param where what the bytes are, for the error message
   * @return the text
   * @throws MalformedDeliveryException if the bytes are not valid UTF-8
   */
  public static String decode(byte[] bytes, String where) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedDeliveryException(where + " is not valid UTF-8", e);
    }
  }
}
