package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of {@code POST /webhooks}; without a {@code secret} the server generates one and returns
 * it once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewWebhook(String url, List<String> events, String secret) {
  /** A webhook for these events with a server-generated secret. */
  public static NewWebhook of(String url, List<String> events) {
    return new NewWebhook(url, events, null);
  }
}
