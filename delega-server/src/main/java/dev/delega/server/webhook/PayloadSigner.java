package dev.delega.server.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds the headers of one webhook delivery, signed both the way the official Python SDK's {@code
 * verify_webhook} checks ({@code X-Delega-Signature}) and the Standard Webhooks way ({@code
 * webhook-signature}).
 *
 * <p>Keys. The Delega signature uses the secret string's UTF-8 bytes as the HMAC key. The Standard
 * Webhooks signature uses the base64-decoded part after {@code whsec_}; a secret without that
 * prefix, or whose remainder is not valid base64 (or decodes to nothing), uses its UTF-8 bytes
 * instead. Secrets Delega generates ({@link #newSecret()}) always have the prefix, so any Standard
 * Webhooks library verifies them as they are; a user-chosen secret {@code s} without it verifies
 * there when given as {@code "whsec_" + base64(utf8(s))}.
 */
public final class PayloadSigner {

  public static final String DELEGA_TIMESTAMP = "X-Delega-Timestamp";
  public static final String DELEGA_SIGNATURE = "X-Delega-Signature";
  public static final String DELEGA_EVENT = "X-Delega-Event";
  public static final String DELEGA_DELIVERY = "X-Delega-Delivery";
  public static final String WEBHOOK_ID = "webhook-id";
  public static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";
  public static final String WEBHOOK_SIGNATURE = "webhook-signature";
  public static final String SECRET_PREFIX = "whsec_";

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private PayloadSigner() {}

  /** A new secret: {@code whsec_} + base64 of 32 random bytes. */
  public static String newSecret() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /**
   * Every header of one delivery, in a stable order: {@code X-Delega-Timestamp}, {@code
   * X-Delega-Signature}, {@code X-Delega-Event}, {@code X-Delega-Delivery}, {@code webhook-id},
   * {@code webhook-timestamp}, {@code webhook-signature}. With a {@code null} secret (a legacy
   * webhook that has none) the two signature headers are left out. {@code body} must be exactly the
   * bytes sent.
   */
  public static Map<String, String> headers(
      String secret, String deliveryId, String event, Instant timestamp, byte[] body) {
    Objects.requireNonNull(deliveryId, "deliveryId");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(body, "body");
    Instant at = timestamp.truncatedTo(ChronoUnit.MILLIS);
    String iso = timestamp(at);
    long unixSeconds = at.getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(DELEGA_TIMESTAMP, iso);
    if (secret != null) {
      headers.put(DELEGA_SIGNATURE, delegaSignature(secret, iso, body));
    }
    headers.put(DELEGA_EVENT, event);
    headers.put(DELEGA_DELIVERY, deliveryId);
    headers.put(WEBHOOK_ID, deliveryId);
    headers.put(WEBHOOK_TIMESTAMP, Long.toString(unixSeconds));
    if (secret != null) {
      headers.put(WEBHOOK_SIGNATURE, standardSignature(secret, deliveryId, unixSeconds, body));
    }
    return Collections.unmodifiableMap(headers);
  }

  /**
   * ISO-8601 UTC with exactly three fractional digits and {@code Z}, e.g. {@code
   * 2025-01-02T03:04:05.678Z}.
   */
  public static String timestamp(Instant instant) {
    return TIMESTAMP.format(instant);
  }

  /** {@code sha256=} + lower-case hex HMAC-SHA256(UTF-8 secret, timestamp + "." + body). */
  public static String delegaSignature(String secret, String timestamp, byte[] body) {
    byte[] mac =
        hmac(utf8Key(secret), timestamp.getBytes(StandardCharsets.UTF_8), new byte[] {'.'}, body);
    return "sha256=" + HEX.formatHex(mac);
  }

  /**
   * {@code v1,} + base64 HMAC-SHA256(Standard Webhooks key, id + "." + unixSeconds + "." + body).
   */
  public static String standardSignature(String secret, String id, long unixSeconds, byte[] body) {
    byte[] prefix = (id + "." + unixSeconds + ".").getBytes(StandardCharsets.UTF_8);
    return "v1," + Base64.getEncoder().encodeToString(hmac(standardKey(secret), prefix, body));
  }

  /** The Standard Webhooks HMAC key of a secret (see the class comment). */
  static byte[] standardKey(String secret) {
    if (secret.startsWith(SECRET_PREFIX)) {
      try {
        byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        if (key.length > 0) {
          return key;
        }
      } catch (IllegalArgumentException notBase64) {
        // fall through to the UTF-8 bytes
      }
    }
    return utf8Key(secret);
  }

  private static byte[] utf8Key(String secret) {
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("webhook secret must not be empty");
    }
    return secret.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hmac(byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
