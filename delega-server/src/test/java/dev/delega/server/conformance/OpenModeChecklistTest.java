package dev.delega.server.conformance;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.testing.DelegaServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Open mode ({@code DELEGA_REQUIRE_AUTH=false}): checklist 50 and C47, and quirk Q2 not reproduced.
 * Keyless requests act as an admin-equivalent "nobody"; requests with a key are authenticated and
 * scoped exactly as in auth mode.
 */
class OpenModeChecklistTest {
  @RegisterExtension
  static final DelegaServerExtension SERVER = new DelegaServerExtension().env("DELEGA_REQUIRE_AUTH", "false");

  private final Fleet fleet = new Fleet(SERVER);
  private final DelegaClient keyless = fleet.anonymous();

  @Test
  void s50_keylessAgentUpdateWorks() {
    Actor w = fleet.worker("openw");

    JsonNode r = expect(keyless.send("PUT", "/agents/" + w.id(), body("display_name", "Open Mode Worker")), 200);

    assertThat(r.get("id").asLong()).isEqualTo(w.id());
    assertThat(r.get("display_name").asString()).isEqualTo("Open Mode Worker");
  }

  @Test
  void c47_keylessRequestsCanDoWhatAdminsCan() {
    Actor w = fleet.worker("scoped");
    long workers = Fleet.task(w, "worker's task");
    long admins = Fleet.task(fleet.admin(), "admin's task");

    assertThat(keyless.send("GET", "/agents").status()).isEqualTo(200);
    assertThat(keyless.send("POST", "/projects", body("name", "open project")).status()).isEqualTo(201);
    assertThat(keyless.send("GET", "/projects").status()).isEqualTo(200);
    JsonNode all = expect(keyless.send("GET", "/tasks?limit=500"), 200);
    assertThat(Fleet.ids(all)).contains(workers, admins);
    JsonNode created = expect(keyless.send("POST", "/tasks", body("content", "keyless", "assigned_to_agent_id", w.id())), 201);
    assertThat(created.get("created_by_agent_id").isNull()).isTrue();
    assertThat(keyless.send("PUT", "/tasks/" + workers, body("content", "edited by nobody")).status()).isEqualTo(200);
  }

  @Test
  void c47_aRequestWithAWorkerKeyIsStillScoped() {
    Actor w = fleet.worker("scoped");
    long admins = Fleet.task(fleet.admin(), "admin's task");

    assertThat(w.send("GET", "/tasks/" + admins, null).status()).isEqualTo(404);
    assertThat(w.send("GET", "/agents", null).status()).isEqualTo(403);
    assertThat(w.send("POST", "/projects", body("name", "no")).status()).isEqualTo(403);
  }

  @Test
  void anInvalidKeyIsStill401InOpenMode() {
    RawResponse r = fleet.client(Fleet.wrongKey()).send("GET", "/tasks");
    assertThat(r.status()).isEqualTo(401);
    assertThat(fleet.deactivated("off").send("GET", "/tasks", null).status()).isEqualTo(401);
  }

  /** Q2 is not reproduced: keyless agent delete and key rotation work instead of crashing. */
  @Test
  void q2_keylessAgentDeleteAndRotationWork() {
    Actor w = fleet.worker("rotated");
    Actor doomed = fleet.worker("doomed");

    JsonNode rotated = expect(keyless.send("POST", "/agents/" + w.id() + "/rotate-key"), 200);
    assertThat(rotated.get("api_key").asString()).startsWith("dlg_");
    assertThat(w.send("GET", "/tasks", null).status()).isEqualTo(401);
    assertThat(expect(keyless.send("DELETE", "/agents/" + doomed.id()), 200).get("deleted").asLong()).isEqualTo(doomed.id());
  }

  @Test
  void keylessWhoAmIIsANotFoundNotACrash() {
    RawResponse r = keyless.send("GET", "/agent/me");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("code").asString()).isEqualTo("not_found");
  }

  @Test
  void theLastAdminIsProtectedInOpenModeToo() {
    Actor admin = fleet.admin();
    RawResponse demote = keyless.send("PUT", "/agents/" + admin.id(), body("role", "worker"));
    RawResponse delete = keyless.send("DELETE", "/agents/" + admin.id());
    assertThat(demote.status()).isEqualTo(409);
    assertThat(delete.status()).isEqualTo(409);
  }
}
