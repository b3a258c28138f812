package dev.delega.server.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A line-by-line re-implementation of the official delega-python SDK's {@code verify_webhook}
 * (official-clients §4.4), as strict as its oldest supported Python (3.9: {@code fromisoformat}
 * takes 0, 3 or 6 fractional digits only), so that a delivery it accepts is accepted by every
 * installation of the SDK.
 */
final class PythonSdkVerifier {
  /** Why a delivery was refused: the SDK's {@code ValueError} message. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private static final Pattern SIGNATURE = Pattern.compile("sha256=[0-9a-fA-F]{64}");

  /** What Python 3.9's {@code datetime.fromisoformat} accepts (after {@code Z} became +00:00). */
  private static final Pattern PY39_ISO =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}(:\\d{2}(:\\d{2}(\\.(\\d{3}|\\d{6}))?)?)?"
              + "([+-]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{6})?)?)?");

  private PythonSdkVerifier() {}

  /** {@code verify_webhook(payload, signature, timestamp, secret, tolerance_seconds=300)}. */
  static void verify(byte[] payload, String signature, String timestamp, String secret, Instant now)
      throws Refused {
    if (signature == null || !SIGNATURE.matcher(signature).matches()) {
      throw new Refused("bad signature format");
    }
    Instant at = parse(timestamp);
    if (Duration.between(at, now).abs().compareTo(Duration.ofSeconds(300)) > 0) {
      throw new Refused("stale timestamp");
    }
    String expected;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) '.');
      mac.update(payload);
      expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    // hmac.compare_digest: constant time, case-sensitive
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII))) {
      throw new Refused("signature mismatch");
    }
  }

  private static Instant parse(String timestamp) throws Refused {
    if (timestamp == null) {
      throw new Refused("invalid timestamp");
    }
    String text =
        timestamp.endsWith("Z")
            ? timestamp.substring(0, timestamp.length() - 1) + "+00:00"
            : timestamp;
    if (!PY39_ISO.matcher(text).matches()) {
      throw new Refused("invalid timestamp");
    }
    String iso = text.replace(' ', 'T');
    try {
      if (iso.length() > 19 && (iso.lastIndexOf('+') > 10 || iso.lastIndexOf('-') > 10)) {
        return OffsetDateTime.parse(iso).toInstant();
      }
      return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
    } catch (java.time.DateTimeException e) {
      throw new Refused("invalid timestamp");
    }
  }
}
