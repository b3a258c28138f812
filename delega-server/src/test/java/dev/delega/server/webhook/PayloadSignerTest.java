package dev.delega.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.client.WebhookVerificationException;
import dev.delega.client.WebhookVerificationException.Reason;
import dev.delega.client.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PayloadSignerTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final Instant AT = Instant.parse("2025-01-02T03:04:05.678Z");
  private static final byte[] BODY =
      "{\"event\":\"task.created\",\"id\":1}".getBytes(StandardCharsets.UTF_8);

  /**
   * The official Python SDK's {@code verify_webhook}, re-implemented from official-clients §4.4 on
   * purpose without sharing code with {@link WebhookVerifier}; throws like Python's ValueError.
   */
  static final class OfficialSdkCheck {
    private static final Pattern FORMAT = Pattern.compile("^sha256=[0-9a-fA-F]{64}$");

    static void verify(
        byte[] payload, String signature, String timestamp, String secret, Instant now) {
      if (signature == null || !FORMAT.matcher(signature).matches()) {
        throw new IllegalArgumentException("bad signature format");
      }
      Instant ts;
      try {
        String iso =
            timestamp.endsWith("Z")
                ? timestamp.substring(0, timestamp.length() - 1) + "+00:00"
                : timestamp;
        ts =
            hasOffset(iso)
                ? OffsetDateTime.parse(iso).toInstant()
                : LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException | NullPointerException e) {
        throw new IllegalArgumentException("invalid timestamp");
      }
      if (Math.abs(Duration.between(ts, now).toNanos()) > Duration.ofSeconds(300).toNanos()) {
        throw new IllegalArgumentException("stale timestamp");
      }
      byte[] message =
          concat(timestamp.getBytes(StandardCharsets.UTF_8), new byte[] {'.'}, payload);
      String expected =
          "sha256="
              + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), message));
      if (!MessageDigest.isEqual(
          expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8))) {
        throw new IllegalArgumentException("signature mismatch");
      }
    }

    private static boolean hasOffset(String iso) {
      int t = iso.indexOf('T');
      String time = t < 0 ? iso : iso.substring(t);
      return time.contains("+") || time.contains("-");
    }
  }

  static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }

  static WebhookVerifier verifierAt(Instant now) {
    return new WebhookVerifier(Clock.fixed(now, ZoneOffset.UTC), Duration.ofSeconds(300));
  }

  @Test
  void producesEveryHeaderWithValuesComputedByPython() {
    // Expected signatures computed with Python 3.11 hmac/hashlib/base64, independently of this
    // code.
    Map<String, String> headers = PayloadSigner.headers(SECRET, "msg_1", "task.created", AT, BODY);

    assertThat(headers)
        .containsExactly(
            Map.entry("X-Delega-Timestamp", "2025-01-02T03:04:05.678Z"),
            Map.entry(
                "X-Delega-Signature",
                "sha256=d12e6c5376f654517345daae6b37b94c0b5cbe8ecd674048c75329e6bbe5ed83"),
            Map.entry("X-Delega-Event", "task.created"),
            Map.entry("X-Delega-Delivery", "msg_1"),
            Map.entry("webhook-id", "msg_1"),
            Map.entry("webhook-timestamp", "1735787045"),
            Map.entry("webhook-signature", "v1,gIfwPhD0zCQ0rQs8f1buooThOsBgp4Qy09MPqLpJLu0="));
  }

  @ParameterizedTest
  @MethodSource("standardKeyFallbacks")
  void standardSignatureFallsBackToUtf8KeyWhenSecretIsNotWhsecBase64(
      String secret, String expected) {
    assertThat(PayloadSigner.standardSignature(secret, "msg_1", 1735787045L, BODY))
        .isEqualTo(expected);
  }

  static Stream<Arguments> standardKeyFallbacks() {
    // Computed with Python: base64(hmac(secret.encode(), b"msg_1.1735787045." + body)).
    return Stream.of(
        Arguments.of("plain-secret", "v1,OpG2UE03/OmpnKcTaJdIt34H3k8QeHnAjgZBEw18J5c="),
        Arguments.of("whsec_not*base64", "v1,eUGvD55NXSS8ymdSBKQ+Iv1TL98cX/Mea8K88eAtS8U="));
  }

  @ParameterizedTest
  @MethodSource("instants")
  void timestampHasExactlyThreeFractionalDigitsAndZ(Instant instant, String iso) {
    Map<String, String> headers = PayloadSigner.headers(SECRET, "d", "task.updated", instant, BODY);

    assertThat(headers.get("X-Delega-Timestamp")).isEqualTo(iso);
    assertThat(headers.get("webhook-timestamp")).isEqualTo(Long.toString(instant.getEpochSecond()));
  }

  static Stream<Arguments> instants() {
    return Stream.of(
        Arguments.of(Instant.parse("2025-01-02T03:04:05Z"), "2025-01-02T03:04:05.000Z"),
        Arguments.of(Instant.parse("2025-01-02T03:04:05.1Z"), "2025-01-02T03:04:05.100Z"),
        Arguments.of(Instant.parse("2025-01-02T03:04:05.123456789Z"), "2025-01-02T03:04:05.123Z"),
        Arguments.of(Instant.parse("1999-12-31T23:59:59.999999Z"), "1999-12-31T23:59:59.999Z"));
  }

  @Test
  void newSecretIsWhsecAndBase64Of32RandomBytes() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      String secret = PayloadSigner.newSecret();
      assertThat(secret).startsWith("whsec_");
      assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
      seen.add(secret);
    }
    assertThat(seen).hasSize(50);
  }

  @Test
  void withoutSecretTheSignatureHeadersAreLeftOut() {
    Map<String, String> headers = PayloadSigner.headers(null, "d1", "webhook.test", AT, BODY);

    assertThat(headers.keySet())
        .containsExactly(
            "X-Delega-Timestamp",
            "X-Delega-Event",
            "X-Delega-Delivery",
            "webhook-id",
            "webhook-timestamp");
  }

  @Test
  void refusesAnEmptySecret() {
    assertThatThrownBy(() -> PayloadSigner.headers("", "d1", "task.created", AT, BODY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static Stream<Arguments> roundTrips() {
    byte[] binary = new byte[256];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    List<String> secrets =
        List.of(SECRET, PayloadSigner.newSecret(), "plain-secret", "ünïcødé-sëcret", "whsec_");
    List<byte[]> bodies =
        List.of(
            BODY,
            new byte[0],
            "{\"task\":{\"content\":\"Grüße – 日本語 😀\"}}".getBytes(StandardCharsets.UTF_8),
            binary);
    List<Instant> instants =
        List.of(AT, Instant.parse("2025-06-30T23:59:59.999999999Z"), Instant.ofEpochSecond(0));
    return secrets.stream()
        .flatMap(
            s -> bodies.stream().flatMap(b -> instants.stream().map(i -> Arguments.of(s, b, i))));
  }

  @ParameterizedTest
  @MethodSource("roundTrips")
  void everySignatureVerifiesWithTheOfficialSdkCheckAndTheJavaVerifier(
      String secret, byte[] body, Instant at) {
    Map<String, String> h = PayloadSigner.headers(secret, "dlv_42", "task.completed", at, body);
    Instant now = at.plusSeconds(42);
    WebhookVerifier verifier = verifierAt(now);

    assertThatCode(
            () ->
                OfficialSdkCheck.verify(
                    body, h.get("X-Delega-Signature"), h.get("X-Delega-Timestamp"), secret, now))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                verifier.verifyDelega(
                    body, h.get("X-Delega-Signature"), h.get("X-Delega-Timestamp"), secret))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                verifier.verifyStandard(
                    body,
                    h.get("webhook-id"),
                    h.get("webhook-timestamp"),
                    h.get("webhook-signature"),
                    secret))
        .doesNotThrowAnyException();
  }

  /** A way to spoil a signed delivery, and what both checks must say. */
  record Spoil(
      String name,
      Instant now,
      byte[] body,
      String signature,
      String secret,
      Reason reason,
      String sdkMessage) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Spoil> spoiledDelegaDeliveries() {
    Map<String, String> h = PayloadSigner.headers(SECRET, "dlv_1", "task.created", AT, BODY);
    String sig = h.get("X-Delega-Signature");
    byte[] tampered = "{\"event\":\"task.created\",\"id\":2}".getBytes(StandardCharsets.UTF_8);
    return Stream.of(
        new Spoil(
            "stale",
            AT.plusSeconds(301),
            BODY,
            sig,
            SECRET,
            Reason.STALE_TIMESTAMP,
            "stale timestamp"),
        new Spoil(
            "future",
            AT.minusSeconds(301),
            BODY,
            sig,
            SECRET,
            Reason.STALE_TIMESTAMP,
            "stale timestamp"),
        new Spoil(
            "tampered body",
            AT,
            tampered,
            sig,
            SECRET,
            Reason.SIGNATURE_MISMATCH,
            "signature mismatch"),
        new Spoil(
            "upper-case hex",
            AT,
            BODY,
            "sha256=" + sig.substring(7).toUpperCase(Locale.ROOT),
            SECRET,
            Reason.SIGNATURE_MISMATCH,
            "signature mismatch"),
        new Spoil(
            "wrong secret",
            AT,
            BODY,
            sig,
            PayloadSigner.newSecret(),
            Reason.SIGNATURE_MISMATCH,
            "signature mismatch"),
        new Spoil(
            "body-only signature of the reference server",
            AT,
            BODY,
            "sha256="
                + HexFormat.of().formatHex(hmac(SECRET.getBytes(StandardCharsets.UTF_8), BODY)),
            SECRET,
            Reason.SIGNATURE_MISMATCH,
            "signature mismatch"),
        new Spoil(
            "truncated signature",
            AT,
            BODY,
            sig.substring(0, 70),
            SECRET,
            Reason.BAD_SIGNATURE_FORMAT,
            "bad signature format"),
        new Spoil(
            "no sha256= prefix",
            AT,
            BODY,
            sig.substring(7),
            SECRET,
            Reason.BAD_SIGNATURE_FORMAT,
            "bad signature format"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("spoiledDelegaDeliveries")
  void spoiledDelegaSignaturesAreRefusedByBothChecks(Spoil spoil) {
    String timestamp = PayloadSigner.timestamp(AT);

    assertThatThrownBy(
            () ->
                OfficialSdkCheck.verify(
                    spoil.body(), spoil.signature(), timestamp, spoil.secret(), spoil.now()))
        .hasMessage(spoil.sdkMessage());
    assertThatThrownBy(
            () ->
                verifierAt(spoil.now())
                    .verifyDelega(spoil.body(), spoil.signature(), timestamp, spoil.secret()))
        .isInstanceOfSatisfying(
            WebhookVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(spoil.reason()));
  }

  @Test
  void toleranceIsInclusiveAtExactlyThreeHundredSeconds() throws Exception {
    Map<String, String> h = PayloadSigner.headers(SECRET, "dlv_1", "task.created", AT, BODY);
    for (Instant now : List.of(AT.plusSeconds(300), AT.minusSeconds(300))) {
      OfficialSdkCheck.verify(
          BODY, h.get("X-Delega-Signature"), h.get("X-Delega-Timestamp"), SECRET, now);
      verifierAt(now)
          .verifyDelega(BODY, h.get("X-Delega-Signature"), h.get("X-Delega-Timestamp"), SECRET);
      verifierAt(now)
          .verifyStandard(
              BODY,
              h.get("webhook-id"),
              h.get("webhook-timestamp"),
              h.get("webhook-signature"),
              SECRET);
    }
  }

  static Stream<Arguments> spoiledStandardDeliveries() {
    Map<String, String> h = PayloadSigner.headers(SECRET, "dlv_1", "task.created", AT, BODY);
    String id = h.get("webhook-id");
    String ts = h.get("webhook-timestamp");
    String sig = h.get("webhook-signature");
    byte[] tampered = "{\"event\":\"task.created\",\"id\":2}".getBytes(StandardCharsets.UTF_8);
    return Stream.of(
        Arguments.of(
            "stale", AT.plusSeconds(301), BODY, id, ts, sig, SECRET, Reason.STALE_TIMESTAMP),
        Arguments.of(
            "future", AT.minusSeconds(301), BODY, id, ts, sig, SECRET, Reason.STALE_TIMESTAMP),
        Arguments.of("tampered body", AT, tampered, id, ts, sig, SECRET, Reason.SIGNATURE_MISMATCH),
        Arguments.of(
            "other delivery id", AT, BODY, "dlv_2", ts, sig, SECRET, Reason.SIGNATURE_MISMATCH),
        Arguments.of(
            "wrong secret",
            AT,
            BODY,
            id,
            ts,
            sig,
            PayloadSigner.newSecret(),
            Reason.SIGNATURE_MISMATCH),
        Arguments.of(
            "ISO timestamp",
            AT,
            BODY,
            id,
            h.get("X-Delega-Timestamp"),
            sig,
            SECRET,
            Reason.INVALID_TIMESTAMP));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("spoiledStandardDeliveries")
  void spoiledStandardSignaturesAreRefused(
      String name,
      Instant now,
      byte[] body,
      String id,
      String ts,
      String sig,
      String secret,
      Reason reason) {
    assertThatThrownBy(() -> verifierAt(now).verifyStandard(body, id, ts, sig, secret))
        .isInstanceOfSatisfying(
            WebhookVerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
