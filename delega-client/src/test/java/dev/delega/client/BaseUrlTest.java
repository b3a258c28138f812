package dev.delega.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class BaseUrlTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "http://127.0.0.1:18890,              http://127.0.0.1:18890/api",
    "http://127.0.0.1:18890/,             http://127.0.0.1:18890/api",
    "http://localhost:18890,              http://localhost:18890/api",
    "http://LOCALHOST,                    http://LOCALHOST/api",
    "'http://[::1]:18890',                'http://[::1]:18890/api'",
    "https://delega.example.com,          https://delega.example.com/v1",
    "https://delega.example.com:8443/,    https://delega.example.com:8443/v1",
    "http://127.0.0.1:18890/api,          http://127.0.0.1:18890/api",
    "http://127.0.0.1:18890/v1/,          http://127.0.0.1:18890/v1",
    "https://delega.example.com/api,      https://delega.example.com/api",
    "https://host.example/delega/api//,   https://host.example/delega/api",
    "https://host.example/api?x=1#frag,   https://host.example/api",
    "http://127.0.0.1:18890?x=1,          http://127.0.0.1:18890/api",
  })
  void resolvesTheBaseLikeTheOfficialCliAndSdk(String given, String expected) {
    assertThat(BaseUrl.resolve(given, false)).hasToString(expected);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  ", "ftp://127.0.0.1", "127.0.0.1:18890", "http://", "not a url"})
  void refusesUnusableUrls(String given) {
    assertThatThrownBy(() -> BaseUrl.resolve(given, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesPlainHttpToARemoteHostUnlessAllowed() {
    assertThatThrownBy(() -> BaseUrl.resolve("http://delega.example.com", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https");
    assertThat(BaseUrl.resolve("http://delega.example.com", true))
        .hasToString("http://delega.example.com/v1");
  }

  @Test
  void aClientWithABareLoopbackUrlCallsUnderApi() {
    try (RecordingServer server = RecordingServer.start();
        DelegaClient client = DelegaClient.builder().baseUrl(server.url()).build()) {
      server.reply(200, "[]");
      assertThat(client.baseUri()).hasToString(server.url() + "/api");
      assertThat(client.tasks().list()).isEmpty();
      assertThat(server.last().uri()).isEqualTo("/api/tasks");
    }
  }

  @Test
  void aClientWithAPathCallsUnderThatPath() {
    try (RecordingServer server = RecordingServer.start();
        DelegaClient client = DelegaClient.builder().baseUrl(server.url() + "/v1/").build()) {
      server.reply(200, "{\"ok\":true,\"service\":\"delega\",\"version\":\"1\"}");
      assertThat(client.health().ok()).isTrue();
      server.reply(200, "[]");
      client.send("GET", "tasks?x=1");
      assertThat(server.requests())
          .extracting(RecordingServer.Recorded::uri)
          .isEqualTo(List.of("/v1/health", "/v1/tasks?x=1"));
    }
  }
}
