package dev.delega.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.client.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every expected signature here was computed with Python 3.11's hmac, hashlib and base64. */
class WebhookVerifierTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final Instant AT = Instant.parse("2025-01-02T03:04:05.678Z");
  private static final byte[] BODY =
      "{\"event\":\"task.created\",\"id\":1}".getBytes(StandardCharsets.UTF_8);
  private static final String TS = "2025-01-02T03:04:05.678Z";
  private static final String SIG =
      "sha256=d12e6c5376f654517345daae6b37b94c0b5cbe8ecd674048c75329e6bbe5ed83";
  private static final String STD_TS = "1735787045";
  private static final String STD_SIG = "v1,gIfwPhD0zCQ0rQs8f1buooThOsBgp4Qy09MPqLpJLu0=";

  private static WebhookVerifier at(Instant now) {
    return new WebhookVerifier(Clock.fixed(now, ZoneOffset.UTC), WebhookVerifier.DEFAULT_TOLERANCE);
  }

  static Stream<Arguments> validDelegaDeliveries() {
    return Stream.of(
        Arguments.of("Z", SECRET, TS, SIG),
        Arguments.of(
            "+00:00 without fractions",
            "my-secret",
            "2025-01-02T03:04:05+00:00",
            "sha256=cfb437cf51f2155686ca2fe398e48ec8309140eb6ea5b9c05394688a6ea75c43"),
        Arguments.of(
            "zone-less means UTC",
            SECRET,
            "2025-01-02T03:04:05.678",
            "sha256=9ada4be7cf1a9e294bd572bf7ad31e200b1a45f9aa957c050338c1d7c718a096"),
        Arguments.of(
            "+02:00 offset",
            SECRET,
            "2025-01-02T05:04:05.678+02:00",
            "sha256=7ee40658588ea52254f770af0016a98dfc75a2ff747577d8580277dbec39c0ee"),
        Arguments.of(
            "space separator",
            SECRET,
            "2025-01-02 03:04:05.678+00:00",
            "sha256=5c10c9b3fe905d5c4d620bed7d213c03b2bc281600f74407227157eea1ddfabb"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validDelegaDeliveries")
  void acceptsWhatTheOfficialSdkAccepts(String name, String secret, String ts, String sig) {
    assertThatCode(() -> at(AT.plusSeconds(10)).verifyDelega(BODY, sig, ts, secret))
        .doesNotThrowAnyException();
  }

  static Stream<Arguments> refusedDelegaDeliveries() {
    byte[] tampered = "{\"event\":\"task.created\",\"id\":2}".getBytes(StandardCharsets.UTF_8);
    return Stream.of(
        Arguments.of("stale", AT.plusSeconds(301), BODY, SIG, TS, SECRET, Reason.STALE_TIMESTAMP),
        Arguments.of("future", AT.minusSeconds(301), BODY, SIG, TS, SECRET, Reason.STALE_TIMESTAMP),
        Arguments.of("tampered body", AT, tampered, SIG, TS, SECRET, Reason.SIGNATURE_MISMATCH),
        Arguments.of("wrong secret", AT, BODY, SIG, TS, "whsec_other", Reason.SIGNATURE_MISMATCH),
        Arguments.of(
            "upper-case hex",
            AT,
            BODY,
            "sha256=" + SIG.substring(7).toUpperCase(),
            TS,
            SECRET,
            Reason.SIGNATURE_MISMATCH),
        Arguments.of(
            "timestamp re-spelt",
            AT,
            BODY,
            SIG,
            "2025-01-02T03:04:05.678+00:00",
            SECRET,
            Reason.SIGNATURE_MISMATCH),
        Arguments.of("null signature", AT, BODY, null, TS, SECRET, Reason.BAD_SIGNATURE_FORMAT),
        Arguments.of(
            "short hex", AT, BODY, "sha256=abcdef", TS, SECRET, Reason.BAD_SIGNATURE_FORMAT),
        Arguments.of(
            "not hex",
            AT,
            BODY,
            "sha256=" + "g".repeat(64),
            TS,
            SECRET,
            Reason.BAD_SIGNATURE_FORMAT),
        Arguments.of(
            "other algorithm",
            AT,
            BODY,
            "sha1=" + SIG.substring(7),
            TS,
            SECRET,
            Reason.BAD_SIGNATURE_FORMAT),
        Arguments.of(
            "trailing space", AT, BODY, SIG + " ", TS, SECRET, Reason.BAD_SIGNATURE_FORMAT),
        Arguments.of(
            "unix timestamp", AT, BODY, SIG, "1735787045", SECRET, Reason.INVALID_TIMESTAMP),
        Arguments.of("empty timestamp", AT, BODY, SIG, "", SECRET, Reason.INVALID_TIMESTAMP),
        Arguments.of("null timestamp", AT, BODY, SIG, null, SECRET, Reason.INVALID_TIMESTAMP),
        Arguments.of(
            "garbage timestamp", AT, BODY, SIG, "yesterday", SECRET, Reason.INVALID_TIMESTAMP));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedDelegaDeliveries")
  void refusesWhatTheOfficialSdkRefuses(
      String name, Instant now, byte[] body, String sig, String ts, String secret, Reason reason) {
    assertThatThrownBy(() -> at(now).verifyDelega(body, sig, ts, secret))
        .isInstanceOfSatisfying(
            WebhookVerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @Test
  void messagesAreThoseOfThePythonSdk() {
    assertThatThrownBy(() -> at(AT).verifyDelega(BODY, "nope", TS, SECRET))
        .hasMessage("bad signature format");
    assertThatThrownBy(() -> at(AT).verifyDelega(BODY, SIG, "nope", SECRET))
        .hasMessage("invalid timestamp");
    assertThatThrownBy(() -> at(AT.plusSeconds(3600)).verifyDelega(BODY, SIG, TS, SECRET))
        .hasMessage("stale timestamp");
    assertThatThrownBy(() -> at(AT).verifyDelega(BODY, SIG, TS, "other"))
        .hasMessage("signature mismatch");
  }

  @Test
  void toleranceIsInclusiveBothWaysAndConfigurable() throws Exception {
    at(AT.plusSeconds(300)).verifyDelega(BODY, SIG, TS, SECRET);
    at(AT.minusSeconds(300)).verifyDelega(BODY, SIG, TS, SECRET);

    WebhookVerifier strict =
        new WebhookVerifier(
            Clock.fixed(AT.plusSeconds(61), ZoneOffset.UTC), Duration.ofSeconds(60));
    assertThatThrownBy(() -> strict.verifyDelega(BODY, SIG, TS, SECRET))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void standardSignatureComputedByPythonVerifies() {
    Instant now = Instant.ofEpochSecond(1735787045L + 20);

    assertThatCode(() -> at(now).verifyStandard(BODY, "msg_1", STD_TS, STD_SIG, SECRET))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                at(now)
                    .verifyStandard(
                        BODY,
                        "msg_1",
                        STD_TS,
                        "v1,OpG2UE03/OmpnKcTaJdIt34H3k8QeHnAjgZBEw18J5c=",
                        "plain-secret"))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                at(now)
                    .verifyStandard(
                        BODY,
                        "msg_1",
                        STD_TS,
                        "v1,eUGvD55NXSS8ymdSBKQ+Iv1TL98cX/Mea8K88eAtS8U=",
                        "whsec_not*base64"))
        .doesNotThrowAnyException();
  }

  @Test
  void anyOfSeveralSignaturesMayMatch() {
    Instant now = Instant.ofEpochSecond(1735787045L);
    String several = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1a,whatever " + STD_SIG;

    assertThatCode(() -> at(now).verifyStandard(BODY, "msg_1", STD_TS, several, SECRET))
        .doesNotThrowAnyException();
  }

  static Stream<Arguments> refusedStandardDeliveries() {
    Instant now = Instant.ofEpochSecond(1735787045L);
    byte[] tampered = "{\"event\":\"task.created\",\"id\":2}".getBytes(StandardCharsets.UTF_8);
    String v2 = "v2," + STD_SIG.substring(3);
    return Stream.of(
        Arguments.of(
            "stale", now.plusSeconds(301), BODY, "msg_1", STD_TS, STD_SIG, Reason.STALE_TIMESTAMP),
        Arguments.of(
            "future",
            now.minusSeconds(301),
            BODY,
            "msg_1",
            STD_TS,
            STD_SIG,
            Reason.STALE_TIMESTAMP),
        Arguments.of(
            "tampered", now, tampered, "msg_1", STD_TS, STD_SIG, Reason.SIGNATURE_MISMATCH),
        Arguments.of("other id", now, BODY, "msg_2", STD_TS, STD_SIG, Reason.SIGNATURE_MISMATCH),
        Arguments.of(
            "other version only", now, BODY, "msg_1", STD_TS, v2, Reason.SIGNATURE_MISMATCH),
        Arguments.of(
            "no comma",
            now,
            BODY,
            "msg_1",
            STD_TS,
            STD_SIG.substring(3),
            Reason.SIGNATURE_MISMATCH),
        Arguments.of("ISO timestamp", now, BODY, "msg_1", TS, STD_SIG, Reason.INVALID_TIMESTAMP),
        Arguments.of(
            "negative timestamp", now, BODY, "msg_1", "-1", STD_SIG, Reason.INVALID_TIMESTAMP),
        Arguments.of("missing id", now, BODY, null, STD_TS, STD_SIG, Reason.MISSING_HEADER),
        Arguments.of("missing timestamp", now, BODY, "msg_1", "", STD_SIG, Reason.MISSING_HEADER),
        Arguments.of("missing signature", now, BODY, "msg_1", STD_TS, " ", Reason.MISSING_HEADER));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedStandardDeliveries")
  void refusesBadStandardDeliveries(
      String name, Instant now, byte[] body, String id, String ts, String sig, Reason reason) {
    assertThatThrownBy(() -> at(now).verifyStandard(body, id, ts, sig, SECRET))
        .isInstanceOfSatisfying(
            WebhookVerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @Test
  void refusesUnusableArguments() {
    assertThatThrownBy(() -> at(AT).verifyDelega(BODY, SIG, TS, ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> at(AT).verifyStandard(BODY, "msg_1", STD_TS, STD_SIG, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WebhookVerifier(Clock.systemUTC(), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(WebhookVerifier.DEFAULT_TOLERANCE).isEqualTo(Duration.ofSeconds(300));
  }
}
