package dev.delega.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.server.testing.DelegaServerExtension;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Checklist 66: a proxy identity header from a peer outside the trusted CIDRs is not believed. */
class UntrustedProxyChecklistTest {
  @RegisterExtension
  static final DelegaServerExtension SERVER = new DelegaServerExtension().env("DELEGA_TRUSTED_PROXIES", "10.0.0.0/8");

  private final Fleet fleet = new Fleet(SERVER);

  @Test
  void s66_remoteUserFromAnUntrustedPeerIs401() {
    String key = SERVER.newAgent("george", "worker", Map.of());
    assertThat(fleet.client(key).send("GET", "/tasks").status()).isEqualTo(200);

    RawResponse r = fleet.anonymous().send("GET", "/tasks", null, Map.of("Remote-User", "george"));

    assertThat(r.status()).isEqualTo(401);
  }

  @Test
  void s66_aNonLoopbackPeerIsNotTrustedByALoopbackRule() {
    Optional<String> address = Fleet.nonLoopbackAddress();
    assumeTrue(address.isPresent(), "this machine has no non-loopback IPv4 address to connect from");
    DelegaServerExtension s =
        new DelegaServerExtension().env("DELEGA_HOST", "0.0.0.0").env("DELEGA_TRUSTED_PROXIES", "127.0.0.1/32");
    s.start();
    try {
      s.newAgent("george", "worker", Map.of());
      DelegaClient remote = Fleet.clientAt("http://" + address.get() + ":" + s.port() + "/api", null);
      DelegaClient local = Fleet.clientAt(s.baseUrl(), null);
      assertThat(local.send("GET", "/tasks", null, Map.of("Remote-User", "george")).status()).isEqualTo(200);
      assertThat(remote.send("GET", "/tasks", null, Map.of("Remote-User", "george")).status()).isEqualTo(401);
    } finally {
      s.stop();
    }
  }
}
