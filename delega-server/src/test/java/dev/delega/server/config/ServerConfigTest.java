package dev.delega.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.server.ServerConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Environment parsing (spec §3 and §11, weakness §12.26): every default, every accepted spelling,
 * and a refusal naming the variable and the value for every unknown one, so a typo never starts a
 * server with auth or rate limits silently off.
 */
class ServerConfigTest {
  private static ServerConfig of(String name, String value) {
    return ServerConfig.fromEnv(Map.of(name, value));
  }

  @Test
  void defaultsAreTheSpecsTable() throws Exception {
    ServerConfig c = ServerConfig.defaults();

    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(18890);
    assertThat(c.dbPath()).isEqualTo(Path.of("./data/delega.db"));
    assertThat(c.databaseUrl()).isNull();
    assertThat(c.usesPostgres()).isFalse();
    assertThat(c.requireAuth()).isTrue();
    assertThat(c.bootstrapToken()).isNull();
    assertThat(c.corsOrigins()).contains("http://localhost:18890", "http://localhost:5173");
    assertThat(c.trustedProxies()).isEmpty();
    assertThat(c.rateLimitEnabled()).isTrue();
    assertThat(c.readsPerMinute()).isEqualTo(1200);
    assertThat(c.writesPerMinute()).isEqualTo(600);
    assertThat(c.allowPrivateWebhooks()).isFalse();
    assertThat(c.maxDelegationDepth()).isEqualTo(10);
    assertThat(c.maxAttempts()).isEqualTo(3);
    assertThat(c.timezone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(c.dedupMode()).isEqualTo("hybrid");
    assertThat(c.keyPepper()).isNull();
    assertThat(c.maxBodyBytes()).isEqualTo(1024 * 1024);
  }

  @ParameterizedTest
  @CsvSource({"true,true", "TRUE,true", "True,true", " true ,true", "false,false", "False,false", "FALSE,false"})
  void booleansAcceptTrueAndFalseInAnyCase(String spelled, boolean expected) {
    assertThat(of("DELEGA_REQUIRE_AUTH", spelled).requireAuth()).isEqualTo(expected);
    assertThat(of("DELEGA_RATE_LIMIT_ENABLED", spelled).rateLimitEnabled()).isEqualTo(expected);
    assertThat(of("DELEGA_ALLOW_PRIVATE_WEBHOOKS", spelled).allowPrivateWebhooks()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ture", "yes", "no", "1", "0", "on", "off", "enabled", "t", "f", "truee", "false!"})
  void anyOtherBooleanSpellingRefusesToStart(String spelled) {
    for (String name : List.of("DELEGA_REQUIRE_AUTH", "DELEGA_RATE_LIMIT_ENABLED", "DELEGA_ALLOW_PRIVATE_WEBHOOKS")) {
      assertThatThrownBy(() -> of(name, spelled))
          .as(name + "=" + spelled)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(name)
          .hasMessageContaining(spelled);
    }
  }

  @Test
  void blankValuesMeanTheDefault() {
    assertThat(of("DELEGA_REQUIRE_AUTH", "").requireAuth()).isTrue();
    assertThat(of("DELEGA_REQUIRE_AUTH", "   ").requireAuth()).isTrue();
    assertThat(of("DELEGA_PORT", "").port()).isEqualTo(18890);
  }

  @ParameterizedTest
  @CsvSource({
    "DELEGA_PORT,abc", "DELEGA_PORT,-1", "DELEGA_PORT,65536", "DELEGA_PORT,80.5",
    "DELEGA_RATE_LIMIT_READS_PER_MIN,0", "DELEGA_RATE_LIMIT_READS_PER_MIN,lots",
    "DELEGA_RATE_LIMIT_WRITES_PER_MIN,-5", "DELEGA_MAX_DELEGATION_DEPTH,0",
    "DELEGA_MAX_DELEGATION_DEPTH,ten", "DELEGA_MAX_ATTEMPTS,0", "DELEGA_MAX_BODY_BYTES,12",
    "DELEGA_TIMEZONE,Mars/Olympus", "DELEGA_TIMEZONE,UTC+99", "DELEGA_DEDUP_MODE,semantic",
    "DELEGA_TRUSTED_PROXIES,not-an-ip", "DELEGA_TRUSTED_PROXIES,10.0.0.0/33",
    "DELEGA_TRUSTED_PROXIES,dead.beef", "DELEGA_TRUSTED_PROXIES,10.1", "DELEGA_TRUSTED_PROXIES,1.2.3.999",
    "DELEGA_TRUSTED_PROXIES,10.0.0.0/x", "DELEGA_TRUSTED_PROXIES,::1/129", "DELEGA_TRUSTED_PROXIES,fe80::zz",
    "DELEGA_KEY_PEPPER,short", "DELEGA_LOG_FORMAT,xml", "DELEGA_LOG_LEVEL,loud",
    "DELEGA_LOG_LEVEL,info;debug", "DELEGA_LOG_LEVEL,=debug", "DELEGA_LOG_LEVEL,'info,debug'",
    "DELEGA_SHUTDOWN_GRACE_MS,-1", "DELEGA_SHUTDOWN_GRACE_MS,600001", "DELEGA_SHUTDOWN_GRACE_MS,10s",
    "DELEGA_TASK_CACHE_ENTRIES,-1", "DELEGA_TASK_CACHE_ENTRIES,1000001", "DELEGA_TASK_CACHE_ENTRIES,many"
  })
  void badValuesRefuseToStartNamingTheVariable(String name, String value) {
    assertThatThrownBy(() -> of(name, value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(name);
  }

  @Test
  void numbersZonesAndModesAreRead() {
    ServerConfig c = ServerConfig.fromEnv(Map.of(
        "DELEGA_PORT", "0",
        "DELEGA_RATE_LIMIT_READS_PER_MIN", "7",
        "DELEGA_RATE_LIMIT_WRITES_PER_MIN", "3",
        "DELEGA_MAX_DELEGATION_DEPTH", "4",
        "DELEGA_MAX_ATTEMPTS", "9",
        "DELEGA_TIMEZONE", "Europe/Berlin",
        "DELEGA_DEDUP_MODE", "LEXICAL",
        "DELEGA_DATABASE_URL", "jdbc:postgresql://db/delega",
        "DELEGA_BOOTSTRAP_TOKEN", "tok"));

    assertThat(c.port()).isZero();
    assertThat(c.readsPerMinute()).isEqualTo(7);
    assertThat(c.writesPerMinute()).isEqualTo(3);
    assertThat(c.maxDelegationDepth()).isEqualTo(4);
    assertThat(c.maxAttempts()).isEqualTo(9);
    assertThat(c.timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(c.dedupMode()).isEqualTo("lexical");
    assertThat(c.usesPostgres()).isTrue();
    assertThat(c.bootstrapToken()).isEqualTo("tok");
    assertThat(c.withPort(1234).port()).isEqualTo(1234);
    assertThat(c.withPort(1234).timezone()).isEqualTo(c.timezone());
  }

  @Test
  void listsAreCommaSeparatedAndTrimmed() throws Exception {
    ServerConfig c = ServerConfig.fromEnv(Map.of(
        "DELEGA_CORS_ORIGINS", " https://a.example , https://b.example,,",
        "DELEGA_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7 ,::1/128"));

    assertThat(c.corsOrigins()).containsExactly("https://a.example", "https://b.example");
    assertThat(c.trustedProxies()).hasSize(3);
    assertThat(c.trustedProxies().get(0).contains(InetAddress.getByName("10.200.3.4"))).isTrue();
    assertThat(c.trustedProxies().get(0).contains(InetAddress.getByName("11.0.0.1"))).isFalse();
    assertThat(c.trustedProxies().get(1).contains(InetAddress.getByName("192.168.1.7"))).isTrue();
    assertThat(c.trustedProxies().get(1).contains(InetAddress.getByName("192.168.1.8"))).isFalse();
    assertThat(c.trustedProxies().get(2).contains(InetAddress.getByName("::1"))).isTrue();
  }
}
