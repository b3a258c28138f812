package dev.delega.server.ingress;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies the {@code X-Delega-Ingress-Signature: t=<unix seconds>,v1=<hex>} header of an inbound
 * ingress delivery, where each {@code v1} is the lower-case hex HMAC-SHA256 keyed with the
 * source's secret (its UTF-8 bytes) over {@code t + "." + raw body}.
 *
 * <p>Several {@code v1=} entries are allowed (a sender rotating secrets signs with both); entries
 * of other schemes ({@code v0=}, {@code v2=}) are ignored. The signature is checked before the
 * timestamp, so {@link Reason#STALE} and {@link Reason#FUTURE} mean "authentic, but the clocks
 * disagree by more than the tolerance" (300 s either way by default). Signatures are compared in
 * constant time. Replays within the tolerance are refused by a {@link ReplayGuard} (or the store)
 * keyed on {@link Valid#signature()}.
 */
public final class IngressSignature {
  /** The request header that carries the signature. */
  public static final String HEADER = "X-Delega-Ingress-Signature";

  /** How far the signed timestamp may be from the server's clock, in either direction. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(300);

  static final int MAX_HEADER_LENGTH = 4096;
  static final int MAX_SIGNATURES = 16;
  private static final HexFormat HEX = HexFormat.of();

  private final Clock clock;
  private final long toleranceSeconds;

  /** A verifier with the default 300-second tolerance. */
  public IngressSignature(Clock clock) {
    this(clock, DEFAULT_TOLERANCE);
  }

  /** A verifier with the given tolerance (whole seconds, at least one). */
  public IngressSignature(Clock clock, Duration tolerance) {
    if (tolerance.getSeconds() < 1) {
      throw new IllegalArgumentException("tolerance must be at least one second: " + tolerance);
    }
    this.clock = clock;
    this.toleranceSeconds = tolerance.getSeconds();
  }

  /** The tolerance this verifier applies. */
  public Duration tolerance() {
    return Duration.ofSeconds(toleranceSeconds);
  }

  /**
   * Checks a delivery.
   *
   * @param secret the ingress source's signing secret
   * @param header the value of {@link #HEADER}, or {@code null} when the request had none
   * @param body the raw request body, exactly as received
   */
  public Verification verify(String secret, String header, byte[] body) {
    requireSecret(secret);
    if (header == null || header.isBlank()) {
      return new Invalid(Reason.MISSING, "missing " + HEADER + " header");
    }
    if (header.length() > MAX_HEADER_LENGTH) {
      return new Invalid(Reason.MALFORMED, HEADER + " is longer than " + MAX_HEADER_LENGTH);
    }
    Long timestamp = null;
    List<byte[]> candidates = new ArrayList<>();
    List<String> candidateText = new ArrayList<>();
    for (String item : header.split(",", -1)) {
      String part = item.strip();
      int eq = part.indexOf('=');
      if (eq <= 0) {
        return malformed("expected comma-separated key=value pairs, got '" + clip(part) + "'");
      }
      String key = part.substring(0, eq).strip();
      String value = part.substring(eq + 1).strip();
      switch (key) {
        case "t" -> {
          if (timestamp != null) {
            return malformed("more than one t= entry");
          }
          if (value.isEmpty() || value.length() > 15 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return malformed("t must be unix seconds, got '" + clip(value) + "'");
          }
          timestamp = Long.parseLong(value);
        }
        case "v1" -> {
          if (value.length() != 64 || !isHex(value)) {
            return malformed("v1 must be 64 hex characters (HMAC-SHA256)");
          }
          if (candidates.size() == MAX_SIGNATURES) {
            return malformed("more than " + MAX_SIGNATURES + " v1 entries");
          }
          candidates.add(HEX.parseHex(value));
          candidateText.add(value.toLowerCase(Locale.ROOT));
        }
        default -> {
          // other schemes are ignored, as senders may add them
        }
      }
    }
    if (timestamp == null) {
      return malformed("no t= timestamp");
    }
    if (candidates.isEmpty()) {
      return malformed("no v1= signature");
    }
    byte[] expected = mac(secret, timestamp, body);
    String matched = null;
    for (int i = 0; i < candidates.size(); i++) {
      if (MessageDigest.isEqual(expected, candidates.get(i)) && matched == null) {
        matched = candidateText.get(i);
      }
    }
    if (matched == null) {
      return new Invalid(
          Reason.MISMATCH,
          "no v1 signature matches: sign t + \".\" + the raw body with HMAC-SHA256 and the"
              + " source's secret");
    }
    long now = clock.instant().getEpochSecond();
    if (timestamp < now - toleranceSeconds) {
      return new Invalid(
          Reason.STALE,
          "signature timestamp is "
              + (now - timestamp)
              + " s old; at most "
              + toleranceSeconds
              + " s is accepted");
    }
    if (timestamp > now + toleranceSeconds) {
      return new Invalid(
          Reason.FUTURE,
          "signature timestamp is "
              + (timestamp - now)
              + " s in the future; at most "
              + toleranceSeconds
              + " s is accepted");
    }
    return new Valid(timestamp, matched);
  }

  /** The lower-case hex HMAC-SHA256 of {@code t + "." + body} keyed with the secret's UTF-8 bytes. */
  public static String sign(String secret, long timestamp, byte[] body) {
    requireSecret(secret);
    return HEX.formatHex(mac(secret, timestamp, body));
  }

  /** {@link #sign(String, long, byte[])} over the UTF-8 bytes of {@code body}. */
  public static String sign(String secret, long timestamp, String body) {
    return sign(secret, timestamp, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A complete header value {@code t=<timestamp>,v1=<signature>}, as a sender would send it. */
  public static String header(String secret, long timestamp, byte[] body) {
    return "t=" + timestamp + ",v1=" + sign(secret, timestamp, body);
  }

  private static byte[] mac(String secret, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static void requireSecret(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("an ingress source without a secret cannot verify");
    }
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) {
        return false;
      }
    }
    return true;
  }

  private static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  private static Invalid malformed(String why) {
    return new Invalid(Reason.MALFORMED, "malformed " + HEADER + ": " + why);
  }

  /** The outcome of {@link #verify}: {@link Valid} or {@link Invalid}. */
  public sealed interface Verification permits Valid, Invalid {}

  /**
   * An authentic delivery inside the tolerance.
   *
   * @param timestamp the signed unix seconds
   * @param signature the {@code v1} hex that matched, lower case: record it to refuse replays
   */
  public record Valid(long timestamp, String signature) implements Verification {}

  /**
   * A refused delivery; answer 401 with {@code message} (it names no secret material).
   *
   * @param reason why, for metrics and the delivery log
   * @param message what the sender should change
   */
  public record Invalid(Reason reason, String message) implements Verification {}

  /** Why a delivery was refused. */
  public enum Reason {
    /** No signature header. */
    MISSING,
    /** The header is not {@code t=<digits>,v1=<64 hex>[,v1=…]}. */
    MALFORMED,
    /** No {@code v1} matches the body, timestamp and secret. */
    MISMATCH,
    /** Authentic, but older than the tolerance. */
    STALE,
    /** Authentic, but further in the future than the tolerance. */
    FUTURE,
    /** Authentic and in time, but this exact signature was already accepted. */
    REPLAYED
  }
}
