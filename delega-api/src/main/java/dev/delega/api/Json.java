package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/** The one JSON configuration every Delega component uses: snake_case names, ISO-8601 millisecond instants. */
public final class Json {
  /** ISO-8601 UTC with exactly three fractional digits and {@code Z}, the wire format of every timestamp. */
  public static final DateTimeFormatter INSTANT_FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final JsonMapper MAPPER = build();

  private Json() {}

  /** The shared, thread-safe mapper. */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /** Formats an instant the way the API writes it. */
  public static String format(Instant instant) {
    return INSTANT_FORMAT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  private static JsonMapper build() {
    SimpleModule module = new SimpleModule("delega");
    module.addSerializer(Instant.class, new InstantSerializer());
    return JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .changeDefaultPropertyInclusion(
            incl -> incl.withValueInclusion(JsonInclude.Include.ALWAYS))
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
        .addModule(module)
        .build();
  }

  private static final class InstantSerializer extends StdSerializer<Instant> {
    InstantSerializer() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializationContext ctxt) {
      gen.writeString(format(value));
    }
  }
}
