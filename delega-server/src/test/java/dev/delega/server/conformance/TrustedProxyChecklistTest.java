package dev.delega.server.conformance;

import static dev.delega.server.conformance.Fleet.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.client.RawResponse;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.testing.DelegaServerExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Trusted-proxy identity (checklist 63–68 and C48), adapted to the spec: the trusted peers are
 * CIDRs in {@code DELEGA_TRUSTED_PROXIES}. Tests can only connect from 127.0.0.1, so this server
 * trusts 127.0.0.1/32; {@link UntrustedProxyChecklistTest} trusts a range without it.
 */
class TrustedProxyChecklistTest {
  @RegisterExtension
  static final DelegaServerExtension SERVER = new DelegaServerExtension().env("DELEGA_TRUSTED_PROXIES", "127.0.0.1/32");

  private final Fleet fleet = new Fleet(SERVER);

  private RawResponse asProxy(String header, String user, String path) {
    return fleet.anonymous().send("GET", path, null, Map.of(header, user));
  }

  private Actor named(String name) {
    return fleet.agent(name, "worker", Map.of());
  }

  private Actor exactly(String name) {
    String key = SERVER.newAgent(name, "worker", Map.of());
    return new Actor(name, SERVER.agentId(key), key, fleet.client(key));
  }

  @Test
  void s63_remoteUserFromATrustedPeerIdentifiesTheAgent() {
    Actor marty = exactly("marty");
    long own = Fleet.task(marty, "marty's");
    long other = Fleet.task(fleet.admin(), "admin's");

    RawResponse r = asProxy("Remote-User", "marty", "/tasks");

    assertThat(r.status()).isEqualTo(200);
    assertThat(Fleet.ids(r.json())).contains(own).doesNotContain(other);
    RawResponse me = asProxy("Remote-User", "marty", "/agent/me");
    assertThat(me.json().get("agent").get("id").asLong()).isEqualTo(marty.id());
  }

  @Test
  void s64_xForwardedUserWorksToo() {
    exactly("doc");
    assertThat(asProxy("X-Forwarded-User", "doc", "/tasks").status()).isEqualTo(200);
  }

  @Test
  void s65_emailIdentityMatchesTheLocalPart() {
    Actor biff = exactly("biff");
    RawResponse me = asProxy("Remote-User", "biff@mcmillan.io", "/agent/me");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().get("agent").get("id").asLong()).isEqualTo(biff.id());
  }

  @Test
  void s67_unknownProxyUserIs401() {
    assertThat(asProxy("Remote-User", "ghost", "/tasks").status()).isEqualTo(401);
  }

  @Test
  void s68_inactiveProxyUserIs401() {
    Actor strickland = exactly("strickland");
    fleet.admin().send("PUT", "/agents/" + strickland.id(), body("active", false));
    assertThat(asProxy("Remote-User", "strickland", "/tasks").status()).isEqualTo(401);
  }

  @Test
  void c48_anInvalidKeyIsRejectedEvenWithAValidRemoteUser() {
    exactly("lorraine");
    RawResponse r =
        fleet.client(Fleet.wrongKey()).send("GET", "/tasks", null, Map.of("Remote-User", "lorraine"));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().get("error").asString()).isEqualTo("Invalid or inactive agent API key");
  }

  /** §12.29: names are unique case-insensitively, so the proxy's lower-cased user matches any case. */
  @Test
  void proxyUserMatchesNamesCaseInsensitively() {
    Actor mixed = named("Jennifer");
    RawResponse me = asProxy("Remote-User", mixed.name().toUpperCase(), "/agent/me");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().get("agent").get("id").asLong()).isEqualTo(mixed.id());
  }

  @Test
  void proxyIdentityIsScopedLikeTheAgent() {
    Actor worker = named("scoped");
    long foreign = Fleet.task(fleet.admin(), "not for workers");
    assertThat(asProxy("Remote-User", worker.name(), "/tasks/" + foreign).status()).isEqualTo(404);
    assertThat(asProxy("Remote-User", worker.name(), "/agents").status()).isEqualTo(403);
  }

  @Test
  void aValidKeyWinsOverTheProxyHeader() {
    Actor keyed = named("keyed");
    Actor other = named("other");
    RawResponse me = keyed.send("GET", "/agent/me", null, Map.of("Remote-User", other.name()));
    assertThat(me.json().get("agent").get("id").asLong()).isEqualTo(keyed.id());
  }
}
