package dev.delega.server.webhook;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SSRF rules for webhook URLs: checked when a webhook is created or updated, and again, address
 * by address, every time a delivery opens a connection.
 *
 * <p>Design note. A URL passes when it parses, uses {@code http}/{@code https}, carries no
 * credentials, names a host and a port in 1–65535, and, unless private targets are allowed, its
 * host name is not an internal name and <em>every</em> address it resolves to is public. The host
 * is parsed here, not by {@link InetAddress}: a host whose last label is numeric must be a
 * canonical dotted quad, so the old {@code inet_aton} spellings ({@code 2130706433}, {@code
 * 0177.0.0.1}, {@code 0x7f.0.0.1}, {@code 127.1}) are refused outright, even when private targets
 * are allowed, because different resolvers read them differently. IPv6 is checked as an allow-list:
 * only global unicast {@code 2000::/3} can pass, minus Teredo, benchmarking and ORCHID ({@code
 * 2001::/23}), documentation ({@code 2001:db8::/32}, {@code 3fff::/20}) and 6to4 ({@code
 * 2002::/16}) embedding a refused IPv4 address. Everything outside {@code 2000::/3} is refused,
 * which covers {@code ::}, {@code ::1}, IPv4-compatible {@code ::/96}, IPv4-mapped {@code
 * ::ffff:0:0/96} (whatever IPv4 address it embeds), NAT64 {@code 64:ff9b::/96} and {@code
 * 64:ff9b:1::/48}, ULA {@code fc00::/7} (with AWS's {@code fd00:ec2::254}), link-local {@code
 * fe80::/10} and multicast {@code ff00::/8}. Resolution goes through an injected {@link
 * HostResolver}, so tests need no network and {@link WebhookSender} can hand its HTTP client only
 * the addresses that were checked.
 */
public final class WebhookUrlPolicy {

  /** Resolves a host name to its addresses; production uses {@link #system()}, tests a fake. */
  @FunctionalInterface
  public interface HostResolver {

    /** All addresses of {@code host}; throws, or returns an empty list, when it has none. */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver ({@link InetAddress#getAllByName}): hosts file, then DNS. */
    static HostResolver system() {
      return host -> List.of(InetAddress.getAllByName(host));
    }
  }

  /** The outcome of a check: {@link Allowed} or {@link Refused}. */
  public sealed interface Verdict permits Allowed, Refused {}

  /**
   * The URL may be used: {@code uri} is the URL as given (trimmed), an internationalised host name
   * turned into its ASCII form; {@code addresses} are the checked addresses its host resolved to.
   */
  public record Allowed(URI uri, List<InetAddress> addresses) implements Verdict {
    public Allowed {
      Objects.requireNonNull(uri, "uri");
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * The URL may not be used; {@code reason} is a message for the API caller (a 400 {@code detail}).
   */
  public record Refused(String reason) implements Verdict {
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }

  public static final String INVALID_URL = "Invalid webhook URL";
  public static final String TOO_LONG = "Webhook URL must be at most 2048 characters";
  public static final String BAD_SCHEME = "Webhook URL must use http or https";
  public static final String CREDENTIALS = "Webhook URL must not include credentials";
  public static final String NO_HOST = "Webhook URL must include a host";
  public static final String BAD_PORT = "Webhook URL has an invalid port";
  public static final String NON_CANONICAL_IP =
      "Webhook URL host must be a host name or a dotted-decimal IPv4 address"
          + " (octal, hex, integer and shortened forms are not accepted)";
  public static final String INTERNAL = "Webhook URL cannot point to internal addresses";
  public static final String UNRESOLVABLE = "Webhook host could not be resolved";

  static final int MAX_LENGTH = 2048;

  private static final Set<String> INTERNAL_NAMES =
      Set.of(
          "localhost",
          "metadata",
          "metadata.goog",
          "metadata.google.internal",
          "instance-data",
          "instance-data.ec2.internal",
          "local",
          "internal",
          "home.arpa",
          "localdomain");

  private static final List<String> INTERNAL_SUFFIXES =
      List.of(".localhost", ".local", ".internal", ".home.arpa", ".localdomain");

  private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
  private static final Pattern DECIMAL = Pattern.compile("[0-9]+");
  private static final Pattern HEX_NUMBER = Pattern.compile("0x[0-9a-f]*");
  private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9a-f:.]+");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  /** Refused IPv4 blocks as {network, prefix length}. */
  private static final int[][] REFUSED_V4 = {
    {0x00000000, 8}, // 0.0.0.0/8 "this network"
    {0x0A000000, 8}, // 10.0.0.0/8 private
    {0x64400000, 10}, // 100.64.0.0/10 CGNAT
    {0x7F000000, 8}, // 127.0.0.0/8 loopback
    {0xA9FE0000, 16}, // 169.254.0.0/16 link-local, cloud metadata
    {0xAC100000, 12}, // 172.16.0.0/12 private
    {0xC0000000, 24}, // 192.0.0.0/24 IETF protocol assignments
    {0xC0000200, 24}, // 192.0.2.0/24 TEST-NET-1
    {0xC0586300, 24}, // 192.88.99.0/24 deprecated 6to4 relay anycast
    {0xC0A80000, 16}, // 192.168.0.0/16 private
    {0xC6120000, 15}, // 198.18.0.0/15 benchmarking
    {0xC6336400, 24}, // 198.51.100.0/24 TEST-NET-2
    {0xCB007100, 24}, // 203.0.113.0/24 TEST-NET-3
    {0xE0000000, 4}, // 224.0.0.0/4 multicast
    {0xF0000000, 4}, // 240.0.0.0/4 reserved, with 255.255.255.255 broadcast
  };

  private final boolean allowPrivate;
  private final HostResolver resolver;

  /**
   * A policy; with {@code allowPrivate} ({@code DELEGA_ALLOW_PRIVATE_WEBHOOKS}) internal names and
   * addresses pass, but every other rule still holds.
   */
  public WebhookUrlPolicy(boolean allowPrivate, HostResolver resolver) {
    this.allowPrivate = allowPrivate;
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /** Whether internal names and addresses are allowed. */
  public boolean allowPrivate() {
    return allowPrivate;
  }

  /**
   * Checks a URL and resolves its host; blocking (DNS). {@code null} and blank are refused like a
   * missing scheme.
   */
  public Verdict check(String url) {
    if (url == null || url.isBlank()) {
      return new Refused(BAD_SCHEME);
    }
    String text = url.strip();
    if (text.length() > MAX_LENGTH) {
      return new Refused(TOO_LONG);
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return new Refused(INVALID_URL);
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      return new Refused(BAD_SCHEME);
    }
    String authority = uri.isOpaque() ? null : uri.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      return new Refused(NO_HOST);
    }
    if (authority.indexOf('@') >= 0) {
      return new Refused(CREDENTIALS);
    }

    String rawHost;
    String rest;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        return new Refused(INVALID_URL);
      }
      rawHost = authority.substring(0, close + 1);
      rest = authority.substring(close + 1);
    } else {
      int colon = authority.lastIndexOf(':');
      rawHost = colon < 0 ? authority : authority.substring(0, colon);
      rest = colon < 0 ? "" : authority.substring(colon);
    }
    if (rawHost.isEmpty() || rawHost.equals("[]")) {
      return new Refused(NO_HOST);
    }
    if (!rest.isEmpty()) {
      if (rest.charAt(0) != ':') {
        return new Refused(INVALID_URL);
      }
      String port = rest.substring(1);
      if (!port.isEmpty()) {
        if (!PORT.matcher(port).matches()) {
          return new Refused(BAD_PORT);
        }
        int value = Integer.parseInt(port);
        if (value < 1 || value > 65_535) {
          return new Refused(BAD_PORT);
        }
      }
    }
    return checkHost(uri, rawHost, rest);
  }

  /** True when {@code address} is public: outside every refused IPv4 and IPv6 block above. */
  public static boolean isPublic(InetAddress address) {
    byte[] b = address.getAddress();
    return b.length == 4 ? isPublicV4(b, 0) : isPublicV6(b);
  }

  private Verdict checkHost(URI uri, String rawHost, String portPart) {
    String host = rawHost.toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      String literal = host.substring(1, host.length() - 1);
      // Only hex digits, colons and dots: never a name, so InetAddress does no lookup. A zone id
      // ("%25eth0") fails the pattern; zones only exist on link-local addresses.
      if (!literal.contains(":") || !IPV6_LITERAL.matcher(literal).matches()) {
        return new Refused(INVALID_URL);
      }
      InetAddress address;
      try {
        address = InetAddress.getByName(literal);
      } catch (UnknownHostException e) {
        return new Refused(INVALID_URL);
      }
      return checkAddresses(uri, List.of(address));
    }

    if (host.indexOf('%') >= 0) {
      return new Refused(INVALID_URL);
    }
    if (!isAscii(host)) {
      try {
        host = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        uri = withAuthority(uri, host + portPart);
      } catch (IllegalArgumentException e) {
        return new Refused(INVALID_URL);
      }
    }
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (name.isEmpty() || name.length() > 253 || !HOST_NAME.matcher(name).matches()) {
      return new Refused(INVALID_URL);
    }
    String[] labels = name.split("\\.");
    for (String label : labels) {
      if (label.length() > 63) {
        return new Refused(INVALID_URL);
      }
    }

    String last = labels[labels.length - 1];
    if (DECIMAL.matcher(last).matches() || HEX_NUMBER.matcher(last).matches()) {
      byte[] v4 = canonicalIpv4(labels);
      if (v4 == null) {
        return new Refused(NON_CANONICAL_IP);
      }
      try {
        return checkAddresses(uri, List.of(InetAddress.getByAddress(v4)));
      } catch (UnknownHostException e) {
        throw new AssertionError("four bytes are always an address", e);
      }
    }

    if (!allowPrivate && isInternalName(name)) {
      return new Refused(INTERNAL);
    }
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return new Refused(UNRESOLVABLE);
    }
    if (addresses == null || addresses.isEmpty()) {
      return new Refused(UNRESOLVABLE);
    }
    return checkAddresses(uri, addresses);
  }

  private Verdict checkAddresses(URI uri, List<InetAddress> addresses) {
    if (!allowPrivate) {
      for (InetAddress address : addresses) {
        if (!isPublic(address)) {
          return new Refused(INTERNAL);
        }
      }
    }
    return new Allowed(uri, addresses);
  }

  /**
   * {@code uri} with another authority: used to give an HTTP client the ASCII form of an IDN host.
   */
  private static URI withAuthority(URI uri, String authority) {
    StringBuilder text = new StringBuilder(uri.getScheme()).append("://").append(authority);
    if (uri.getRawPath() != null) {
      text.append(uri.getRawPath());
    }
    if (uri.getRawQuery() != null) {
      text.append('?').append(uri.getRawQuery());
    }
    if (uri.getRawFragment() != null) {
      text.append('#').append(uri.getRawFragment());
    }
    return URI.create(text.toString());
  }

  private static boolean isInternalName(String name) {
    if (INTERNAL_NAMES.contains(name)) {
      return true;
    }
    for (String suffix : INTERNAL_SUFFIXES) {
      if (name.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  /** Four decimal labels 0–255 without leading zeros, or {@code null}. */
  private static byte[] canonicalIpv4(String[] labels) {
    if (labels.length != 4) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String label = labels[i];
      if (!DECIMAL.matcher(label).matches()
          || label.length() > 3
          || (label.length() > 1 && label.charAt(0) == '0')) {
        return null;
      }
      int value = Integer.parseInt(label);
      if (value > 255) {
        return null;
      }
      bytes[i] = (byte) value;
    }
    return bytes;
  }

  private static boolean isPublicV4(byte[] b, int offset) {
    int ip =
        (b[offset] & 0xFF) << 24
            | (b[offset + 1] & 0xFF) << 16
            | (b[offset + 2] & 0xFF) << 8
            | (b[offset + 3] & 0xFF);
    for (int[] block : REFUSED_V4) {
      int mask = -1 << (32 - block[1]);
      if ((ip & mask) == block[0]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPublicV6(byte[] b) {
    int b0 = b[0] & 0xFF;
    int b1 = b[1] & 0xFF;
    int b2 = b[2] & 0xFF;
    int b3 = b[3] & 0xFF;
    if ((b0 & 0xE0) != 0x20) {
      return false; // outside 2000::/3 global unicast
    }
    if (b0 == 0x20 && b1 == 0x01 && (b2 & 0xFE) == 0x00) {
      return false; // 2001::/23: Teredo 2001::/32, benchmarking 2001:2::/48, ORCHID
    }
    if (b0 == 0x20 && b1 == 0x01 && b2 == 0x0D && b3 == 0xB8) {
      return false; // 2001:db8::/32 documentation
    }
    if (b0 == 0x3F && b1 == 0xFF && (b2 & 0xF0) == 0x00) {
      return false; // 3fff::/20 documentation
    }
    if (b0 == 0x20 && b1 == 0x02) {
      return isPublicV4(b, 2); // 6to4 embeds an IPv4 address in bits 16–47
    }
    return true;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
