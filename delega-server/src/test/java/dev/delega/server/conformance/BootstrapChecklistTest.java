package dev.delega.server.conformance;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.server.testing.DelegaServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The keyless bootstrap of the first agent (checklist 18 and 52, C12's counterpart, quirk Q1 and
 * weakness §12.30): each test gets a fresh, empty server.
 */
class BootstrapChecklistTest {
  @RegisterExtension final DelegaServerExtension server = new DelegaServerExtension();

  private final Fleet fleet = new Fleet(server);

  /** Adapted: the answer is 201 (lead decision); role admin is forced whatever was asked. */
  @Test
  void s18_firstKeylessRegistrationFromLoopbackBecomesAdmin() {
    RawResponse r = fleet.anonymous().send("POST", "/agents", body("name", "bootstrap", "role", "worker", "is_admin", false));

    JsonNode agent = expect(r, 201);
    assertThat(agent.get("is_admin").asBoolean()).isTrue();
    assertThat(agent.get("role").asString()).isEqualTo("admin");
    assertThat(agent.get("permissions").size()).isZero();
    assertThat(agent.get("api_key").asString()).startsWith("dlg_");
    assertThat(fleet.client(agent.get("api_key").asString()).send("GET", "/agents").status()).isEqualTo(200);
  }

  @Test
  void s18_bootstrapWorksUnderV1Too() {
    RawResponse r = fleet.anonymous().send("POST", server.rootUrl() + "/v1/agents", body("name", "first"));
    assertThat(expect(r, 201).get("is_admin").asBoolean()).isTrue();
  }

  @Test
  void s52_concurrentBootstrapsYieldExactlyOneAdmin() throws Exception {
    int n = 8;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<RawResponse>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
      for (int i = 0; i < n; i++) {
        String name = "racer" + i;
        answers.add(pool.submit(() -> {
          start.await();
          return fleet.anonymous().send("POST", "/agents", body("name", name));
        }));
      }
      start.countDown();
      List<RawResponse> done = new ArrayList<>();
      for (Future<RawResponse> f : answers) {
        done.add(f.get());
      }
      List<RawResponse> created = done.stream().filter(r -> r.status() == 201).toList();
      assertThat(created).hasSize(1);
      assertThat(created.get(0).json().get("is_admin").asBoolean()).isTrue();
      assertThat(done.stream().filter(r -> r.status() != 201).map(RawResponse::status)).allMatch(s -> s == 401 || s == 403);
      String key = created.get(0).json().get("api_key").asString();
      List<JsonNode> agents = new ArrayList<>();
      fleet.client(key).send("GET", "/agents").json().forEach(agents::add);
      assertThat(agents).hasSize(1);
      assertThat(agents.get(0).get("is_admin").asBoolean()).isTrue();
    }
  }

  @Test
  void bootstrapCarryingAnyKeyIs401() {
    RawResponse r = fleet.client(Fleet.wrongKey()).send("POST", "/agents", body("name", "first"));
    assertThat(r.status()).isEqualTo(401);
    assertThat(fleet.anonymous().send("POST", "/agents", body("name", "first")).status()).isEqualTo(201);
  }

  @Test
  void bootstrapBodyIsValidatedLikeAnyRegistration() {
    assertThat(fleet.anonymous().send("POST", "/agents", body("name", "has space")).status()).isEqualTo(422);
    assertThat(fleet.anonymous().send("POST", "/agents", "{}").status()).isEqualTo(422);
    assertThat(fleet.anonymous().send("POST", "/agents", body("name", "ok-now")).status()).isEqualTo(201);
  }

  @Test
  void keylessRequestsOtherThanTheBootstrapAre401OnAnEmptyServer() {
    assertThat(fleet.anonymous().send("GET", "/agents").status()).isEqualTo(401);
    assertThat(fleet.anonymous().send("GET", "/tasks").status()).isEqualTo(401);
    assertThat(fleet.anonymous().send("POST", "/tasks", body("content", "x")).status()).isEqualTo(401);
  }

  // ---------------------------------------------------------------- non-loopback peers

  private static String address() {
    Optional<String> a = Fleet.nonLoopbackAddress();
    assumeTrue(a.isPresent(), "this machine has no non-loopback IPv4 address to connect from");
    return a.get();
  }

  private static DelegaServerExtension onAllInterfaces(Map<String, String> env) {
    DelegaServerExtension s = new DelegaServerExtension().env("DELEGA_HOST", "0.0.0.0");
    env.forEach(s::env);
    s.start();
    return s;
  }

  /** Q1 is not reproduced: a keyless bootstrap from a non-loopback peer is a 403 naming the fix, not a 500. */
  @Test
  void q1_keylessBootstrapFromANonLoopbackPeerIs403() {
    String address = address();
    DelegaServerExtension s = onAllInterfaces(Map.of());
    try {
      DelegaClient remote = Fleet.clientAt("http://" + address + ":" + s.port() + "/api", null);
      RawResponse r = remote.send("POST", "/agents", body("name", "remote"));
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.json().get("error").asString()).contains("loopback").contains("DELEGA_BOOTSTRAP_TOKEN");
      assertThat(Fleet.clientAt(s.baseUrl(), null).send("POST", "/agents", body("name", "local")).status()).isEqualTo(201);
    } finally {
      s.stop();
    }
  }

  @Test
  void bootstrapTokenAllowsTheFirstAgentFromAnywhere() {
    String address = address();
    DelegaServerExtension s = onAllInterfaces(Map.of("DELEGA_BOOTSTRAP_TOKEN", "let-me-in-please"));
    try {
      DelegaClient remote = Fleet.clientAt("http://" + address + ":" + s.port() + "/api", null);
      RawResponse wrong = remote.send("POST", "/agents", body("name", "remote"), Map.of("X-Bootstrap-Token", "guess"));
      assertThat(wrong.status()).isEqualTo(403);
      RawResponse right =
          remote.send("POST", "/agents", body("name", "remote"), Map.of("X-Bootstrap-Token", "let-me-in-please"));
      assertThat(expect(right, 201).get("is_admin").asBoolean()).isTrue();
      RawResponse again =
          remote.send("POST", "/agents", body("name", "second"), Map.of("X-Bootstrap-Token", "let-me-in-please"));
      assertThat(again.status()).as("the token only bootstraps; afterwards keys are required").isEqualTo(401);
    } finally {
      s.stop();
    }
  }
}
