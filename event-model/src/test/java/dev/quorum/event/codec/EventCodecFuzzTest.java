package dev.quorum.event.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.quorum.event.Event;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the codec's byte-level entry points. In a build these run in regression
 * mode over the committed corpus ({@code EventCodecFuzzTestInputs}: real CloudEvents bodies and every
 * input that ever failed); {@code JAZZER_FUZZ=1} fuzzes one of them for its set time (README).
 */
class EventCodecFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void decode_throws_nothing_but_decode_exception(byte[] bytes) {
    Event decoded;
    try {
      decoded = EventCodec.decode(bytes);
    } catch (DecodeException expected) {
      assertThat(expected.path()).startsWith("$");
      assertThat(expected.reason()).isNotBlank();
      return;
    }
    // whatever decodes holds only storable text, and encodes to bytes that decode to the same event
    assertThatCode(() -> StorableText.require(EventCodec.toTree(decoded), "$")).doesNotThrowAnyException();
    byte[] encoded = EventCodec.encode(decoded);
    assertThat(EventCodec.decode(encoded)).isEqualTo(decoded);
  }

  @FuzzTest(maxDuration = "60s")
  void a_batch_decodes_or_throws_decode_exception(byte[] bytes) {
    try {
      assertThat(EventCodec.decodeBatch(bytes, 100)).isNotEmpty();
    } catch (DecodeException expected) {
      assertThat(expected.path()).startsWith("$");
    }
  }

  @FuzzTest(maxDuration = "60s")
  void the_utf8_check_agrees_with_the_jdks_strict_decoder(byte[] bytes) {
    boolean jdk = strictUtf8(bytes) && !hasNulOrBom(bytes);
    boolean ours;
    try {
      Utf8.requireJsonText(bytes);
      ours = true;
    } catch (DecodeException e) {
      ours = false;
    }
    assertThat(ours).as("accepted by Utf8").isEqualTo(jdk);
  }

  private static boolean strictUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static boolean hasNulOrBom(byte[] bytes) {
    for (byte b : bytes) if (b == 0) return true;
    return bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF;
  }
}
