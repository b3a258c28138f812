package dev.delega.server.agent;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes agent keys ({@code dlg_} + 256 random bits) and the keyed hash they are stored and looked
 * up by: HMAC-SHA-256 with the server pepper, so a stolen database yields no usable key and a
 * lookup is one indexed equality, never a per-request key-derivation function.
 */
public final class ApiKeys {
  /** Every key starts with this. */
  public static final String PREFIX = "dlg_";

  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKeySpec pepper;
  private final Mac prototype;

  public ApiKeys(byte[] pepper) {
    this.pepper = new SecretKeySpec(pepper, "HmacSHA256");
    this.prototype = newMac(this.pepper);
  }

  /** A fresh key: {@code dlg_} and 43 base64url characters (32 random bytes). */
  public static String newKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The stored form of a key: lowercase hex HMAC-SHA-256(pepper, key). */
  public String hash(String key) {
    Mac mac;
    try {
      mac = (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      mac = newMac(pepper);
    }
    return HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)));
  }

  private static Mac newMac(SecretKeySpec pepper) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(pepper);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** What may be shown of a key after creation: its first 12 characters. */
  public static String prefixOf(String key) {
    return key.substring(0, Math.min(12, key.length())) + "...";
  }
}
