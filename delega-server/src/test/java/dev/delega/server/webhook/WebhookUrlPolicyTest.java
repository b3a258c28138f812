package dev.delega.server.webhook;

import static dev.delega.server.webhook.WebhookUrlPolicy.BAD_PORT;
import static dev.delega.server.webhook.WebhookUrlPolicy.BAD_SCHEME;
import static dev.delega.server.webhook.WebhookUrlPolicy.CREDENTIALS;
import static dev.delega.server.webhook.WebhookUrlPolicy.INTERNAL;
import static dev.delega.server.webhook.WebhookUrlPolicy.INVALID_URL;
import static dev.delega.server.webhook.WebhookUrlPolicy.NON_CANONICAL_IP;
import static dev.delega.server.webhook.WebhookUrlPolicy.NO_HOST;
import static dev.delega.server.webhook.WebhookUrlPolicy.TOO_LONG;
import static dev.delega.server.webhook.WebhookUrlPolicy.UNRESOLVABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.server.webhook.WebhookUrlPolicy.Allowed;
import dev.delega.server.webhook.WebhookUrlPolicy.HostResolver;
import dev.delega.server.webhook.WebhookUrlPolicy.Refused;
import dev.delega.server.webhook.WebhookUrlPolicy.Verdict;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookUrlPolicyTest {

  /** A DNS table in memory that records every lookup. */
  static final class FakeResolver implements HostResolver {
    private final Map<String, List<InetAddress>> table = new HashMap<>();
    final List<String> lookups = new ArrayList<>();

    FakeResolver map(String host, String... literals) {
      List<InetAddress> addresses = new ArrayList<>();
      for (String literal : literals) {
        addresses.add(address(host, literal));
      }
      table.put(host, addresses);
      return this;
    }

    FakeResolver map(String host, InetAddress address) {
      table.put(host, List.of(address));
      return this;
    }

    @Override
    public synchronized List<InetAddress> resolve(String host) throws UnknownHostException {
      lookups.add(host);
      List<InetAddress> addresses = table.get(host);
      if (addresses == null) {
        throw new UnknownHostException(host);
      }
      return addresses;
    }
  }

  /** An address object built from a literal without any lookup. */
  static InetAddress address(String host, String literal) {
    try {
      return InetAddress.getByAddress(host, InetAddress.getByName(literal).getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  static FakeResolver dns() {
    try {
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xFF;
      mapped[11] = (byte) 0xFF;
      mapped[12] = 127;
      mapped[15] = 1;
      return new FakeResolver()
          .map("example.com", "93.184.216.34")
          .map("example.com.", "93.184.216.34")
          .map("hooks.example.org", "93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946")
          .map("localhost", "127.0.0.1")
          .map("rebind.example", "127.0.0.1")
          .map("metadata-alias.example", "169.254.169.254")
          .map("mixed.example", "93.184.216.34", "10.0.0.7")
          .map("cgnat.example", "100.100.100.200")
          .map("v6loopback.example", "::1")
          .map("ula.example", "fd00:ec2::254")
          .map("nat64.example", "64:ff9b::a9fe:a9fe")
          .map("empty.example")
          .map("mapped.example", Inet6Address.getByAddress("mapped.example", mapped, -1));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        // syntax
        Arguments.of("ftp://example.com/hook", BAD_SCHEME),
        Arguments.of("javascript:alert(1)", BAD_SCHEME),
        Arguments.of("example.com/hook", BAD_SCHEME),
        Arguments.of("", BAD_SCHEME),
        Arguments.of("http://exa mple.com/", INVALID_URL),
        Arguments.of("http://[::1/", INVALID_URL),
        Arguments.of("http://[fe80::1%25eth0]/", INVALID_URL),
        Arguments.of("http://exa%6dple.com/", INVALID_URL),
        Arguments.of("http://-..example.com/", INVALID_URL),
        Arguments.of("https://example.com/" + "a".repeat(2100), TOO_LONG),
        Arguments.of("http://user:pw@example.com/hook", CREDENTIALS),
        Arguments.of("http://user@example.com/hook", CREDENTIALS),
        Arguments.of("http://127.0.0.1%2f@example.com/", CREDENTIALS),
        Arguments.of("http:///hook", NO_HOST),
        Arguments.of("http:hook", NO_HOST),
        Arguments.of("http://example.com:99999/hook", BAD_PORT),
        Arguments.of("http://example.com:abc/hook", BAD_PORT),
        Arguments.of("http://example.com:0/hook", BAD_PORT),
        Arguments.of("http://example.com:-1/hook", BAD_PORT),
        // internal names, refused before any lookup
        Arguments.of("http://localhost/hook", INTERNAL),
        Arguments.of("http://LOCALHOST./hook", INTERNAL),
        Arguments.of("http://app.localhost/hook", INTERNAL),
        Arguments.of("http://printer.local/", INTERNAL),
        Arguments.of("http://svc.default.svc.cluster.local/", INTERNAL),
        Arguments.of("http://svc.internal/", INTERNAL),
        Arguments.of("http://router.home.arpa/", INTERNAL),
        Arguments.of("http://metadata.google.internal/computeMetadata/v1/", INTERNAL),
        Arguments.of("http://metadata/computeMetadata/v1/", INTERNAL),
        Arguments.of("http://metadata.goog/", INTERNAL),
        Arguments.of("http://instance-data/latest/meta-data/", INTERNAL),
        Arguments.of("http://drücker.local/", INTERNAL),
        // IPv4 literals
        Arguments.of("http://127.0.0.1/hook", INTERNAL),
        Arguments.of("http://127.255.255.254:8080/hook", INTERNAL),
        Arguments.of("http://10.0.0.5/", INTERNAL),
        Arguments.of("http://172.16.0.1/", INTERNAL),
        Arguments.of("http://172.31.255.255/", INTERNAL),
        Arguments.of("http://192.168.1.1/", INTERNAL),
        Arguments.of("http://169.254.169.254/latest/meta-data/", INTERNAL),
        Arguments.of("http://100.64.0.1/hook", INTERNAL),
        Arguments.of("http://100.127.255.255/hook", INTERNAL),
        Arguments.of("http://0.0.0.0/", INTERNAL),
        Arguments.of("http://0.1.2.3/", INTERNAL),
        Arguments.of("http://192.0.0.8/", INTERNAL),
        Arguments.of("http://192.0.2.1/", INTERNAL),
        Arguments.of("http://198.51.100.7/", INTERNAL),
        Arguments.of("http://203.0.113.9/", INTERNAL),
        Arguments.of("http://198.18.0.1/hook", INTERNAL),
        Arguments.of("http://198.19.255.255/hook", INTERNAL),
        Arguments.of("http://224.0.0.1/", INTERNAL),
        Arguments.of("http://239.255.255.250/", INTERNAL),
        Arguments.of("http://240.0.0.1/", INTERNAL),
        Arguments.of("http://255.255.255.255/", INTERNAL),
        // IPv6 literals
        Arguments.of("http://[::1]/", INTERNAL),
        Arguments.of("http://[::]/", INTERNAL),
        Arguments.of("http://[0:0:0:0:0:0:0:1]:8080/", INTERNAL),
        Arguments.of("http://[fe80::1]/", INTERNAL),
        Arguments.of("http://[febf::1]/", INTERNAL),
        Arguments.of("http://[fc00::1]/", INTERNAL),
        Arguments.of("http://[fd12:3456::1]/", INTERNAL),
        Arguments.of("http://[fd00:ec2::254]/latest/meta-data/", INTERNAL),
        Arguments.of("http://[ff02::1]/", INTERNAL),
        Arguments.of("http://[ff0e::1]/", INTERNAL),
        Arguments.of("http://[::ffff:127.0.0.1]/", INTERNAL),
        Arguments.of("http://[::ffff:7f00:1]/", INTERNAL),
        Arguments.of("http://[::ffff:10.0.0.1]/", INTERNAL),
        Arguments.of("http://[::ffff:169.254.169.254]/", INTERNAL),
        Arguments.of("http://[::127.0.0.1]/", INTERNAL),
        Arguments.of("http://[::a9fe:a9fe]/", INTERNAL),
        Arguments.of("http://[64:ff9b::7f00:1]/", INTERNAL),
        Arguments.of("http://[64:ff9b::a9fe:a9fe]/", INTERNAL),
        Arguments.of("http://[64:ff9b:1::1]/", INTERNAL),
        Arguments.of("http://[2002:7f00:1::]/", INTERNAL),
        Arguments.of("http://[2002:c0a8:101::1]/", INTERNAL),
        Arguments.of("http://[2002:a9fe:a9fe::1]/", INTERNAL),
        Arguments.of("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", INTERNAL),
        Arguments.of("http://[2001:db8::1]/", INTERNAL),
        Arguments.of("http://[3fff::1]/", INTERNAL),
        Arguments.of("http://[100::1]/", INTERNAL),
        // odd IPv4 spellings, refused without asking any resolver
        Arguments.of("http://2130706433/", NON_CANONICAL_IP),
        Arguments.of("http://0177.0.0.1/", NON_CANONICAL_IP),
        Arguments.of("http://0x7f.0.0.1/", NON_CANONICAL_IP),
        Arguments.of("http://0x7f000001/", NON_CANONICAL_IP),
        Arguments.of("http://0X7F.1/", NON_CANONICAL_IP),
        Arguments.of("http://127.1/", NON_CANONICAL_IP),
        Arguments.of("http://127.0.1/", NON_CANONICAL_IP),
        Arguments.of("http://01.1.1.1/", NON_CANONICAL_IP),
        Arguments.of("http://1.1.1.1.1/", NON_CANONICAL_IP),
        Arguments.of("http://1.1.1.256/", NON_CANONICAL_IP),
        Arguments.of("http://017700000001/", NON_CANONICAL_IP),
        Arguments.of("http://example.0x7f/", NON_CANONICAL_IP),
        // names that resolve somewhere internal
        Arguments.of("http://rebind.example/hook", INTERNAL),
        Arguments.of("http://metadata-alias.example/", INTERNAL),
        Arguments.of("http://mixed.example/", INTERNAL),
        Arguments.of("http://cgnat.example/", INTERNAL),
        Arguments.of("http://v6loopback.example/", INTERNAL),
        Arguments.of("http://ula.example/", INTERNAL),
        Arguments.of("http://nat64.example/", INTERNAL),
        Arguments.of("http://mapped.example/", INTERNAL),
        // names that do not resolve
        Arguments.of("http://nowhere.example/", UNRESOLVABLE),
        Arguments.of("http://empty.example/", UNRESOLVABLE));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("refused")
  void refusesUnsafeUrls(String url, String reason) {
    Verdict verdict = new WebhookUrlPolicy(false, dns()).check(url);

    assertThat(verdict).isEqualTo(new Refused(reason));
  }

  @Test
  void refusalTableIsLargeAndCoversEveryMessage() {
    List<Arguments> cases = refused().toList();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(30);
    assertThat(cases.stream().map(a -> a.get()[1]).distinct())
        .containsExactlyInAnyOrder(
            BAD_SCHEME,
            INVALID_URL,
            TOO_LONG,
            CREDENTIALS,
            NO_HOST,
            BAD_PORT,
            INTERNAL,
            NON_CANONICAL_IP,
            UNRESOLVABLE);
  }

  @Test
  void refusesNullAsMissingScheme() {
    assertThat(new WebhookUrlPolicy(false, dns()).check(null)).isEqualTo(new Refused(BAD_SCHEME));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost/",
        "http://printer.local/",
        "http://metadata.google.internal/",
        "http://2130706433/",
        "http://0x7f.0.0.1/",
        "http://127.1/",
        "http://[::1]/",
        "http://127.0.0.1/"
      })
  void internalNamesAndLiteralsAreRefusedWithoutAnyLookup(String url) {
    FakeResolver resolver = dns();

    Verdict verdict = new WebhookUrlPolicy(false, resolver).check(url);

    assertThat(verdict).isInstanceOf(Refused.class);
    assertThat(resolver.lookups).isEmpty();
  }

  static Stream<Arguments> allowed() {
    return Stream.of(
        Arguments.of("http://1.1.1.1/hook", List.of("1.1.1.1")),
        Arguments.of("http://8.8.8.8:8080/", List.of("8.8.8.8")),
        Arguments.of("https://example.com/hook", List.of("93.184.216.34")),
        Arguments.of("HTTPS://EXAMPLE.com:8443/hook?x=1#frag", List.of("93.184.216.34")),
        Arguments.of("  https://example.com/hook  ", List.of("93.184.216.34")),
        Arguments.of("https://example.com./hook", List.of("93.184.216.34")),
        Arguments.of("https://example.com:/hook", List.of("93.184.216.34")),
        Arguments.of("https://example.com:65535/hook", List.of("93.184.216.34")),
        Arguments.of(
            "https://hooks.example.org/delega",
            List.of("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946")),
        Arguments.of("http://[2606:4700:4700::1111]/hook", List.of("2606:4700:4700::1111")),
        Arguments.of("http://[2002:101:101::1]/hook", List.of("2002:101:101::1")),
        Arguments.of("http://100.63.255.255/", List.of("100.63.255.255")),
        Arguments.of("http://172.32.0.1/", List.of("172.32.0.1")),
        Arguments.of("http://223.255.255.255/", List.of("223.255.255.255")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allowed")
  void allowsPublicUrls(String url, List<String> expected) {
    Verdict verdict = new WebhookUrlPolicy(false, dns()).check(url);

    assertThat(verdict).isInstanceOf(Allowed.class);
    Allowed allowed = (Allowed) verdict;
    assertThat(allowed.uri().toString()).isEqualTo(url.strip());
    assertThat(allowed.addresses().stream().map(InetAddress::getHostAddress))
        .containsExactlyElementsOf(
            expected.stream().map(literal -> address(null, literal).getHostAddress()).toList());
  }

  @Test
  void internationalisedHostNamesAreCheckedAndReturnedInAsciiForm() {
    FakeResolver resolver = dns().map("xn--bcher-kva.example", "93.184.216.34");

    Verdict verdict =
        new WebhookUrlPolicy(false, resolver).check("https://bücher.example:8443/a?b#c");

    assertThat(verdict).isInstanceOf(Allowed.class);
    assertThat(((Allowed) verdict).uri().toString())
        .isEqualTo("https://xn--bcher-kva.example:8443/a?b#c");
    assertThat(resolver.lookups).containsExactly("xn--bcher-kva.example");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://[::1]:9000/hook",
        "http://10.1.2.3/",
        "http://printer.local.example/",
        "http://rebind.example/",
        "http://[fd00:ec2::254]/"
      })
  void allowPrivateLetsInternalTargetsThrough(String url) {
    FakeResolver resolver = dns().map("printer.local.example", "192.168.1.20");

    assertThat(new WebhookUrlPolicy(true, resolver).check(url)).isInstanceOf(Allowed.class);
  }

  @Test
  void allowPrivateStillEnforcesEveryOtherRule() {
    WebhookUrlPolicy policy = new WebhookUrlPolicy(true, dns());

    assertThat(policy.check("http://127.0.0.1:99999/")).isEqualTo(new Refused(BAD_PORT));
    assertThat(policy.check("http://127.0.0.1:abc/")).isEqualTo(new Refused(BAD_PORT));
    assertThat(policy.check("http://127.1/")).isEqualTo(new Refused(NON_CANONICAL_IP));
    assertThat(policy.check("http://2130706433/")).isEqualTo(new Refused(NON_CANONICAL_IP));
    assertThat(policy.check("ftp://127.0.0.1/")).isEqualTo(new Refused(BAD_SCHEME));
    assertThat(policy.check("http://u:p@127.0.0.1/")).isEqualTo(new Refused(CREDENTIALS));
    assertThat(policy.check("http://nowhere.example/")).isEqualTo(new Refused(UNRESOLVABLE));
    assertThat(policy.allowPrivate()).isTrue();
  }

  @Test
  void hostNamesAreLookedUpAsWritten() {
    FakeResolver resolver = dns();

    new WebhookUrlPolicy(false, resolver).check("https://Example.COM./hook");

    assertThat(resolver.lookups).containsExactly("example.com.");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "10.9.8.7",
        "172.20.1.1",
        "192.168.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "192.0.0.1",
        "192.0.2.1",
        "198.18.5.5",
        "198.51.100.1",
        "203.0.113.1",
        "224.0.0.251",
        "240.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "ff02::fb",
        "64:ff9b::808:808",
        "64:ff9b:1::a",
        "2001::1",
        "2001:db8::1",
        "2002:a00:1::",
        "::808:808"
      })
  void classifiesNonPublicAddresses(String literal) {
    assertThat(WebhookUrlPolicy.isPublic(address(null, literal))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.1.1.1",
        "8.8.8.8",
        "93.184.216.34",
        "100.128.0.1",
        "172.15.255.255",
        "198.20.0.1",
        "2606:4700:4700::1111",
        "2a00:1450:4001:82a::200e",
        "2002:808:808::1"
      })
  void classifiesPublicAddresses(String literal) {
    assertThat(WebhookUrlPolicy.isPublic(address(null, literal))).isTrue();
  }
}
