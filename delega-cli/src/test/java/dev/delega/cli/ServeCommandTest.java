package dev.delega.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ServeCommandTest {
  static Stream<Arguments> flags() {
    return Stream.of(
        Arguments.of("--host", "0.0.0.0", "host", "0.0.0.0"),
        Arguments.of("--port", "0", "port", "0"),
        Arguments.of("--db-path", "/tmp/x/delega.db", "db_path", "/tmp/x/delega.db"),
        Arguments.of("--database-url", "postgres://me:secret@db/delega", "database_url", "postgres://me:***@db/delega"),
        Arguments.of("--require-auth", "false", "require_auth", "false"),
        Arguments.of("--bootstrap-token", "tok-123", "bootstrap_token", "***"),
        Arguments.of("--cors-origins", "https://a.example,https://b.example", "cors_origins", "[\"https://a.example\",\"https://b.example\"]"),
        Arguments.of("--trusted-proxies", "10.0.0.0/8", "trusted_proxies", "[\"10.0.0.0/8\"]"),
        Arguments.of("--rate-limit-enabled", "false", "rate_limit_enabled", "false"),
        Arguments.of("--rate-limit-reads-per-min", "50", "rate_limit_reads_per_min", "50"),
        Arguments.of("--rate-limit-writes-per-min", "20", "rate_limit_writes_per_min", "20"),
        Arguments.of("--allow-private-webhooks", "true", "allow_private_webhooks", "true"),
        Arguments.of("--max-delegation-depth", "4", "max_delegation_depth", "4"),
        Arguments.of("--max-attempts", "7", "max_attempts", "7"),
        Arguments.of("--timezone", "Europe/Paris", "timezone", "Europe/Paris"),
        Arguments.of("--dedup-mode", "lexical", "dedup_mode", "lexical"),
        Arguments.of("--key-pepper", "0123456789abcdef0123", "key_pepper", "***"),
        Arguments.of("--max-body-bytes", "4096", "max_body_bytes", "4096"),
        Arguments.of("--metrics-token", "m-token", "metrics_token", "***"),
        Arguments.of("--log-format", "json", "log_format", "json"),
        Arguments.of("--log-level", "DEBUG,org.eclipse.jetty=warn", "log_level", "debug,org.eclipse.jetty=warn"),
        Arguments.of("--shutdown-grace-ms", "2500", "shutdown_grace_ms", "2500"),
        Arguments.of("--task-cache-entries", "0", "task_cache_entries", "0"));
  }

  @ParameterizedTest
  @MethodSource("flags")
  void everyFlagReachesTheServerConfiguration(String flag, String value, String field, String expected) {
    JsonNode config = new Cli().json("serve", flag, value, "--print-config");
    JsonNode v = config.path(field);
    assertThat(v.isContainer() ? v.toString() : v.asString()).isEqualTo(expected);
  }

  @Test
  void flagsWinOverEnvironmentVariablesWhichWinOverDefaults() {
    Cli cli = new Cli().env("DELEGA_MAX_ATTEMPTS", "5").env("DELEGA_PORT", "19000");
    JsonNode config = cli.json("serve", "--port", "19001", "--print-config");
    assertThat(config.path("max_attempts").asInt()).isEqualTo(5);
    assertThat(config.path("port").asInt()).isEqualTo(19001);
    assertThat(config.path("host").asString()).isEqualTo("127.0.0.1");
    assertThat(new Cli().json("serve", "--require-auth", "--print-config").path("require_auth").asBoolean()).isTrue();
    assertThat(cli.run("serve", "--print-config").out()).contains("max_attempts", "5");
  }

  @Test
  void refusesBadValuesNamingTheVariable() {
    Cli.Result r = new Cli().run("serve", "--require-auth", "maybe");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("DELEGA_REQUIRE_AUTH", "maybe");
    assertThat(new Cli().env("DELEGA_TIMEZONE", "Mars/Olympus").run("serve").err()).contains("DELEGA_TIMEZONE");
  }
}
