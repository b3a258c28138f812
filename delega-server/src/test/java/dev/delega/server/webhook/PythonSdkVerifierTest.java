package dev.delega.server.webhook;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The re-implementation of the official SDK's {@code verify_webhook} refuses what the SDK refuses
 * (official-clients §4.4), so that a delivery it accepts in the other tests is a real pass.
 */
class PythonSdkVerifierTest {
  private static final String SECRET = "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=";
  private static final byte[] BODY =
      "{\"event\":\"task.created\"}".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-03-01T09:00:00.123Z");

  @Test
  void acceptsWhatTheServerSigns() {
    String ts = PayloadSigner.timestamp(NOW);
    assertThatCode(
            () ->
                PythonSdkVerifier.verify(
                    BODY, PayloadSigner.delegaSignature(SECRET, ts, BODY), ts, SECRET, NOW))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "2026-03-01T09:00:00.123456789Z|invalid timestamp",
        "2026-03-01T09:00:00.1Z|invalid timestamp",
        "1772355600|invalid timestamp",
        "yesterday|invalid timestamp",
        "2026-03-01T08:54:59.000Z|stale timestamp",
        "2026-03-01T09:05:01.000Z|stale timestamp",
      })
  void refusesTimestampsTheSdkRefuses(String ts, String message) {
    assertThatThrownBy(
            () ->
                PythonSdkVerifier.verify(
                    BODY, PayloadSigner.delegaSignature(SECRET, ts, BODY), ts, SECRET, NOW))
        .hasMessage(message);
  }

  @Test
  void acceptsTheOtherIsoSpellingsTheSdkAccepts() {
    for (String ts :
        new String[] {
          "2026-03-01T09:00:00Z",
          "2026-03-01T09:00:00.123456+00:00",
          "2026-03-01 10:00:00+01:00",
          "2026-03-01T09:00:00"
        }) {
      assertThatCode(
              () ->
                  PythonSdkVerifier.verify(
                      BODY, PayloadSigner.delegaSignature(SECRET, ts, BODY), ts, SECRET, NOW))
          .as(ts)
          .doesNotThrowAnyException();
    }
  }

  @Test
  void refusesBadSignatures() {
    String ts = PayloadSigner.timestamp(NOW);
    String good = PayloadSigner.delegaSignature(SECRET, ts, BODY);
    assertThatThrownBy(() -> PythonSdkVerifier.verify(BODY, good.substring(7), ts, SECRET, NOW))
        .hasMessage("bad signature format");
    assertThatThrownBy(
            () ->
                PythonSdkVerifier.verify(
                    BODY, "sha256=" + good.substring(7).toUpperCase(), ts, SECRET, NOW))
        .hasMessage("signature mismatch");
    assertThatThrownBy(
            () ->
                PythonSdkVerifier.verify(
                    "{}".getBytes(StandardCharsets.UTF_8), good, ts, SECRET, NOW))
        .hasMessage("signature mismatch");
    assertThatThrownBy(() -> PythonSdkVerifier.verify(BODY, good, ts, SECRET + "x", NOW))
        .hasMessage("signature mismatch");
  }
}
