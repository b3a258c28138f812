package dev.delega.server.logging;

import java.util.regex.Pattern;

/**
 * Removes secrets from text about to be logged, as a last line of defence behind not logging them:
 * agent keys ({@code dlg_…}), ingress secrets ({@code dlgin_…}), generated webhook secrets
 * ({@code whsec_…}) and the values of credential headers. Key prefixes as shown after creation
 * ({@code dlg_12345678...}) are too short to match and stay.
 */
final class Redaction {
  private static final Pattern TOKENS =
      Pattern.compile("\\b(dlg_|dlgin_|whsec_)[A-Za-z0-9_\\-+/=]{16,}");
  private static final Pattern HEADERS =
      Pattern.compile(
          "(?i)\\b(authorization|x-agent-key|x-bootstrap-token|x-delega-signature|webhook-signature)"
              + "(\"?\\s*[:=]\\s*\"?)(bearer\\s+|basic\\s+)?[^\\s\",;}]+");
  private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)[^\\s\",;}\\[]+");

  private Redaction() {}

  static String scrub(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    if (out.contains("dlg_") || out.contains("dlgin_") || out.contains("whsec_")) {
      out = TOKENS.matcher(out).replaceAll("$1[redacted]");
    }
    if (containsIgnoreCase(out)) {
      out = HEADERS.matcher(out).replaceAll("$1$2$3[redacted]");
      out = BEARER.matcher(out).replaceAll("$1[redacted]");
    }
    return out;
  }

  /** Whether a credential header name or "bearer" occurs in any case (one pass, no copy: every log value passes here). */
  private static boolean containsIgnoreCase(String s) {
    for (int i = 0; i < s.length(); i++) {
      boolean hit = switch (s.charAt(i) | 0x20) {
        case 'a' -> s.regionMatches(true, i, "authorization", 0, 13);
        case 'x' -> s.regionMatches(true, i, "x-agent-key", 0, 11) || s.regionMatches(true, i, "x-bootstrap-token", 0, 17);
        case 'b' -> s.regionMatches(true, i, "bearer", 0, 6);
        case 's' -> s.regionMatches(true, i, "signature", 0, 9);
        default -> false;
      };
      if (hit) {
        return true;
      }
    }
    return false;
  }
}
