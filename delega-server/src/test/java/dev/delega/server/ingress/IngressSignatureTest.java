package dev.delega.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.server.ingress.IngressSignature.Invalid;
import dev.delega.server.ingress.IngressSignature.Reason;
import dev.delega.server.ingress.IngressSignature.Valid;
import dev.delega.server.ingress.IngressSignature.Verification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IngressSignatureTest {
  private static final String SECRET = "whsec_test";
  private static final long NOW = 1_700_000_000L;
  private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

  private final FakeClock clock = new FakeClock(Instant.ofEpochSecond(NOW));
  private final IngressSignature verifier = new IngressSignature(clock);

  private static String sig(long t) {
    return IngressSignature.sign(SECRET, t, BODY);
  }

  @Test
  void signsTimestampDotBodyWithHmacSha256Hex() {
    // computed independently: python hmac.new(b"whsec_test", b'1700000000.{"a":1}', sha256)
    assertThat(IngressSignature.sign(SECRET, NOW, BODY))
        .isEqualTo("38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
    assertThat(IngressSignature.header(SECRET, NOW, BODY))
        .isEqualTo("t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
  }

  static Stream<Arguments> cases() {
    String good = sig(NOW);
    String other = IngressSignature.sign("another-secret", NOW, BODY);
    String bad64 = "0".repeat(64);
    return Stream.of(
        Arguments.of("valid", "t=" + NOW + ",v1=" + good, null),
        Arguments.of("valid with spaces", " t=" + NOW + " , v1=" + good + " ", null),
        Arguments.of("valid upper-case hex", "t=" + NOW + ",v1=" + good.toUpperCase(Locale.ROOT),
            null),
        Arguments.of("multiple v1, second matches", "t=" + NOW + ",v1=" + other + ",v1=" + good,
            null),
        Arguments.of("multiple v1, first matches", "t=" + NOW + ",v1=" + good + ",v1=" + bad64,
            null),
        Arguments.of("other schemes ignored", "t=" + NOW + ",v0=xyz,v1=" + good + ",v2=abc", null),
        Arguments.of("300 s old is still fine", "t=" + (NOW - 300) + ",v1=" + sig(NOW - 300), null),
        Arguments.of("300 s ahead is still fine", "t=" + (NOW + 300) + ",v1=" + sig(NOW + 300),
            null),
        Arguments.of("stale", "t=" + (NOW - 301) + ",v1=" + sig(NOW - 301), Reason.STALE),
        Arguments.of("an hour old", "t=" + (NOW - 3600) + ",v1=" + sig(NOW - 3600), Reason.STALE),
        Arguments.of("future", "t=" + (NOW + 301) + ",v1=" + sig(NOW + 301), Reason.FUTURE),
        Arguments.of("wrong secret", "t=" + NOW + ",v1=" + other, Reason.MISMATCH),
        Arguments.of("signature of another timestamp", "t=" + NOW + ",v1=" + sig(NOW - 1),
            Reason.MISMATCH),
        Arguments.of("all v1 wrong", "t=" + NOW + ",v1=" + bad64 + ",v1=" + other,
            Reason.MISMATCH),
        Arguments.of("missing", null, Reason.MISSING),
        Arguments.of("blank", "  ", Reason.MISSING),
        Arguments.of("no t", "v1=" + good, Reason.MALFORMED),
        Arguments.of("no v1", "t=" + NOW, Reason.MALFORMED),
        Arguments.of("only other schemes", "t=" + NOW + ",v0=" + good, Reason.MALFORMED),
        Arguments.of("t not a number", "t=abc,v1=" + good, Reason.MALFORMED),
        Arguments.of("t negative", "t=-5,v1=" + good, Reason.MALFORMED),
        Arguments.of("t iso", "t=2023-11-14T22:13:20Z,v1=" + good, Reason.MALFORMED),
        Arguments.of("two t", "t=" + NOW + ",t=" + NOW + ",v1=" + good, Reason.MALFORMED),
        Arguments.of("v1 short", "t=" + NOW + ",v1=abcd", Reason.MALFORMED),
        Arguments.of("v1 not hex", "t=" + NOW + ",v1=" + "z".repeat(64), Reason.MALFORMED),
        Arguments.of("sha256= style", "sha256=" + good, Reason.MALFORMED),
        Arguments.of("no equals", "garbage", Reason.MALFORMED),
        Arguments.of("trailing comma", "t=" + NOW + ",v1=" + good + ",", Reason.MALFORMED),
        Arguments.of("too long", "t=" + NOW + ",v1=" + good + ",x=" + "a".repeat(5000),
            Reason.MALFORMED),
        Arguments.of("too many v1", "t=" + NOW + (",v1=" + bad64).repeat(17), Reason.MALFORMED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void verify(String name, String header, Reason expected) {
    Verification v = verifier.verify(SECRET, header, BODY);
    if (expected == null) {
      assertThat(v).isInstanceOf(Valid.class);
      assertThat(((Valid) v).signature()).isEqualTo(
          IngressSignature.sign(SECRET, ((Valid) v).timestamp(), BODY));
    } else {
      assertThat(v).isInstanceOfSatisfying(Invalid.class, i -> {
        assertThat(i.reason()).isEqualTo(expected);
        assertThat(i.message()).isNotBlank().doesNotContain(SECRET);
      });
    }
  }

  @Test
  void tamperedBodyIsRefused() {
    String header = IngressSignature.header(SECRET, NOW, BODY);
    byte[] tampered = "{\"a\":2}".getBytes(StandardCharsets.UTF_8);
    assertThat(verifier.verify(SECRET, header, tampered))
        .isEqualTo(verifier.verify(SECRET, "t=" + NOW + ",v1=" + "0".repeat(64), tampered))
        .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).isEqualTo(
            Reason.MISMATCH));
  }

  @Test
  void validCarriesTimestampAndSignatureForReplayRecording() {
    Verification v = verifier.verify(SECRET, IngressSignature.header(SECRET, NOW - 10, BODY), BODY);
    assertThat(v).isEqualTo(new Valid(NOW - 10, sig(NOW - 10)));
  }

  @Test
  void theClockDecidesStaleness() {
    String header = IngressSignature.header(SECRET, NOW, BODY);
    assertThat(verifier.verify(SECRET, header, BODY)).isInstanceOf(Valid.class);
    clock.set(Instant.ofEpochSecond(NOW + 301));
    assertThat(verifier.verify(SECRET, header, BODY))
        .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).isEqualTo(Reason.STALE));
    clock.set(Instant.ofEpochSecond(NOW - 301));
    assertThat(verifier.verify(SECRET, header, BODY))
        .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).isEqualTo(Reason.FUTURE));
  }

  @Test
  void emptyBodyIsSignable() {
    byte[] empty = new byte[0];
    assertThat(verifier.verify(SECRET, IngressSignature.header(SECRET, NOW, empty), empty))
        .isInstanceOf(Valid.class);
  }
}
