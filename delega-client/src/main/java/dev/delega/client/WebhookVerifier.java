package dev.delega.client;

import dev.delega.client.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a webhook delivery really comes from a Delega server holding the webhook's secret,
 * and is recent; for receivers.
 *
 * <p>Every delivery carries two independent signatures; check either one:
 *
 * <ul>
 *   <li>{@link #verifyDelega}: {@code X-Delega-Signature} over {@code X-Delega-Timestamp}, the same
 *       check as the official Python SDK's {@code verify_webhook};
 *   <li>{@link #verifyStandard}: <a href="https://www.standardwebhooks.com/">Standard Webhooks</a>
 *       {@code webhook-signature} over {@code webhook-id} and {@code webhook-timestamp}.
 * </ul>
 *
 * <p>Pass the raw request body bytes, exactly as received, never a re-serialised JSON object.
 *
 * <pre>{@code
 * WebhookVerifier verifier = new WebhookVerifier();   // system clock, 300 s tolerance
 * try {
 *   verifier.verifyDelega(
 *       body,
 *       request.header("X-Delega-Signature"),
 *       request.header("X-Delega-Timestamp"),
 *       System.getenv("DELEGA_WEBHOOK_SECRET"));
 * } catch (WebhookVerificationException e) {
 *   return respond(401, e.getMessage());               // e.reason() says which check failed
 * }
 * Event event = mapper.readValue(body, Event.class);  // only now trust the payload
 * }</pre>
 *
 * <p>Standard Webhooks key: the base64-decoded part after {@code whsec_}; a secret without that
 * prefix (or whose remainder is not valid base64) is used as its UTF-8 bytes, as the Delega server
 * does. Instances are immutable and thread-safe.
 */
public final class WebhookVerifier {

  /** How far a timestamp may be from now, either way, unless told otherwise: 300 seconds. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(300);

  private static final Pattern DELEGA_SIGNATURE = Pattern.compile("sha256=[0-9a-fA-F]{64}");
  private static final Pattern UNIX_SECONDS = Pattern.compile("[0-9]{1,15}");
  private static final String SECRET_PREFIX = "whsec_";
  private static final DateTimeFormatter ISO =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
          .optionalStart()
          .appendOffsetId()
          .optionalEnd()
          .toFormatter();

  private final Clock clock;
  private final Duration tolerance;

  /** A verifier on the system clock with the {@link #DEFAULT_TOLERANCE}. */
  public WebhookVerifier() {
    this(Clock.systemUTC(), DEFAULT_TOLERANCE);
  }

  /** A verifier reading now from {@code clock}, accepting timestamps within {@code tolerance}. */
  public WebhookVerifier(Clock clock, Duration tolerance) {
    this.clock = Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(tolerance, "tolerance");
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException("tolerance must not be negative, was " + tolerance);
    }
    this.tolerance = tolerance;
  }

  /**
   * Verifies {@code X-Delega-Signature}: it must be {@code sha256=} and 64 hex digits; the
   * timestamp (ISO-8601, {@code Z} or an offset, none meaning UTC) must be within the tolerance of
   * now; and the signature must equal {@code sha256=} + lower-case hex HMAC-SHA256(UTF-8 secret,
   * timestamp as received + "." + body), compared in constant time and case-sensitively.
   *
   * @throws WebhookVerificationException when any check fails
   */
  public void verifyDelega(
      byte[] body, String signatureHeader, String timestampHeader, String secret)
      throws WebhookVerificationException {
    Objects.requireNonNull(body, "body");
    requireSecret(secret);
    if (signatureHeader == null || !DELEGA_SIGNATURE.matcher(signatureHeader).matches()) {
      throw new WebhookVerificationException(Reason.BAD_SIGNATURE_FORMAT, "bad signature format");
    }
    if (timestampHeader == null) {
      throw new WebhookVerificationException(Reason.INVALID_TIMESTAMP, "invalid timestamp");
    }
    requireFresh(parseIso(timestampHeader));
    byte[] mac =
        hmac(
            secret.getBytes(StandardCharsets.UTF_8),
            (timestampHeader + ".").getBytes(StandardCharsets.UTF_8),
            body);
    String expected = "sha256=" + HexFormat.of().formatHex(mac);
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        signatureHeader.getBytes(StandardCharsets.US_ASCII))) {
      throw new WebhookVerificationException(Reason.SIGNATURE_MISMATCH, "signature mismatch");
    }
  }

  /**
   * Verifies Standard Webhooks headers: {@code webhookTimestamp} is unix seconds within the
   * tolerance of now (compared in whole seconds), and at least one space-separated {@code
   * v1,<base64>} entry of {@code webhookSignature} equals base64 HMAC-SHA256(key, id + "." +
   * timestamp + "." + body); entries of other versions are ignored.
   *
   * @throws WebhookVerificationException when any check fails
   */
  public void verifyStandard(
      byte[] body,
      String webhookId,
      String webhookTimestamp,
      String webhookSignature,
      String secret)
      throws WebhookVerificationException {
    Objects.requireNonNull(body, "body");
    requireSecret(secret);
    if (webhookId == null
        || webhookId.isEmpty()
        || webhookTimestamp == null
        || webhookTimestamp.isEmpty()
        || webhookSignature == null
        || webhookSignature.isBlank()) {
      throw new WebhookVerificationException(Reason.MISSING_HEADER, "missing required headers");
    }
    if (!UNIX_SECONDS.matcher(webhookTimestamp).matches()) {
      throw new WebhookVerificationException(Reason.INVALID_TIMESTAMP, "invalid timestamp");
    }
    long seconds = Long.parseLong(webhookTimestamp);
    // Whole seconds, as the Standard Webhooks libraries compare.
    long nowSeconds = clock.instant().getEpochSecond();
    if (Math.abs(nowSeconds - seconds) > tolerance.toSeconds()) {
      throw new WebhookVerificationException(Reason.STALE_TIMESTAMP, "stale timestamp");
    }
    byte[] mac =
        hmac(
            standardKey(secret),
            (webhookId + "." + seconds + ".").getBytes(StandardCharsets.UTF_8),
            body);
    byte[] expected = Base64.getEncoder().encode(mac);
    boolean matched = false;
    for (String entry : webhookSignature.trim().split(" +")) {
      int comma = entry.indexOf(',');
      if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
        continue;
      }
      byte[] candidate = entry.substring(comma + 1).getBytes(StandardCharsets.US_ASCII);
      matched |= MessageDigest.isEqual(expected, candidate);
    }
    if (!matched) {
      throw new WebhookVerificationException(Reason.SIGNATURE_MISMATCH, "no matching signature");
    }
  }

  private Instant parseIso(String text) throws WebhookVerificationException {
    String iso =
        text.length() > 10 && text.charAt(10) == ' '
            ? text.substring(0, 10) + 'T' + text.substring(11)
            : text;
    try {
      TemporalAccessor parsed = ISO.parseBest(iso, OffsetDateTime::from, LocalDateTime::from);
      return parsed instanceof OffsetDateTime odt
          ? odt.toInstant()
          : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      throw new WebhookVerificationException(Reason.INVALID_TIMESTAMP, "invalid timestamp");
    }
  }

  private void requireFresh(Instant timestamp) throws WebhookVerificationException {
    if (Duration.between(timestamp, clock.instant()).abs().compareTo(tolerance) > 0) {
      throw new WebhookVerificationException(Reason.STALE_TIMESTAMP, "stale timestamp");
    }
  }

  private static void requireSecret(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("secret must not be null or empty");
    }
  }

  private static byte[] standardKey(String secret) {
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
    return secret.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hmac(byte[] key, byte[] prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(prefix);
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
