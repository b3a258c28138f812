package dev.delega.client;

import dev.delega.api.NewRecurrence;
import dev.delega.api.Recurrence;
import dev.delega.api.RecurrenceUpdate;
import java.util.List;
import tools.jackson.core.type.TypeReference;

/**
 * Recurring task templates: list, create, get, update, delete. Obtain it from {@link
 * DelegaClient#recurrences()}.
 */
public final class Recurrences {
  private static final TypeReference<List<Recurrence>> LIST = new TypeReference<>() {};

  private final HttpTransport transport;

  Recurrences(HttpTransport transport) {
    this.transport = transport;
  }

  /** {@code GET /recurrences}. */
  public List<Recurrence> list() {
    return transport.call("GET", "/recurrences", null, LIST);
  }

  /** {@code POST /recurrences}. */
  public Recurrence create(NewRecurrence body) {
    return transport.call("POST", "/recurrences", body, Recurrence.class);
  }

  /** {@code GET /recurrences/{id}}. */
  public Recurrence get(long id) {
    return transport.call("GET", "/recurrences/" + id, null, Recurrence.class);
  }

  /** {@code PUT /recurrences/{id}}: a partial update. */
  public Recurrence update(long id, RecurrenceUpdate update) {
    return transport.call("PUT", "/recurrences/" + id, update, Recurrence.class);
  }

  /** {@code DELETE /recurrences/{id}}. */
  public void delete(long id) {
    transport.run("DELETE", "/recurrences/" + id, null, RequestOptions.none());
  }
}
