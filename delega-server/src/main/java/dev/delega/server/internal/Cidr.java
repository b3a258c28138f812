package dev.delega.server.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a /32 or /128. */
public record Cidr(byte[] network, int prefix) {
  private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

  /** Parses a block, refusing anything that is not an IP literal with an optional prefix length. */
  public static Cidr parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String addr = slash < 0 ? s : s.substring(0, slash);
    if (!LITERAL.matcher(addr).matches() || !(addr.contains(":") || isDottedQuad(addr))) {
      throw new IllegalArgumentException("not an IP address or CIDR block: '" + text + "'");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(addr).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address or CIDR block: '" + text + "'");
    }
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in '" + text + "'");
      }
      if (prefix < 0 || prefix > max) {
        throw new IllegalArgumentException("bad prefix length in '" + text + "'");
      }
    }
    return new Cidr(bytes, prefix);
  }

  /** True when the address lies inside this block (IPv4-mapped IPv6 addresses match IPv4 blocks). */
  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length == 16 && network.length == 4 && isMapped(a)) {
      byte[] v4 = new byte[4];
      System.arraycopy(a, 12, v4, 0, 4);
      a = v4;
    }
    if (a.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (a[full] & mask) == (network[full] & mask);
  }

  /** Four decimal octets: never a host name (no DNS lookup) nor a legacy short form like {@code 10.1}. */
  private static boolean isDottedQuad(String addr) {
    String[] parts = addr.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isMapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
  }
}
