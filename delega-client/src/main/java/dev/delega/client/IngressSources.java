package dev.delega.client;

import dev.delega.api.IngressSource;
import dev.delega.api.IngressSourceUpdate;
import dev.delega.api.NewIngressSource;
import java.util.List;
import tools.jackson.core.type.TypeReference;

/**
 * Signed inbound ingress sources (admin): list, create, get, update, delete. Obtain it from {@link
 * DelegaClient#ingressSources()}.
 */
public final class IngressSources {
  private static final TypeReference<List<IngressSource>> LIST = new TypeReference<>() {};

  private final HttpTransport transport;

  IngressSources(HttpTransport transport) {
    this.transport = transport;
  }

  /** {@code GET /ingress-sources}. */
  public List<IngressSource> list() {
    return transport.call("GET", "/ingress-sources", null, LIST);
  }

  /** {@code POST /ingress-sources}; the answer carries the secret, shown this once. */
  public IngressSource create(NewIngressSource body) {
    return transport.call("POST", "/ingress-sources", body, IngressSource.class);
  }

  /** {@code GET /ingress-sources/{id}}. */
  public IngressSource get(long id) {
    return transport.call("GET", "/ingress-sources/" + id, null, IngressSource.class);
  }

  /** {@code PUT /ingress-sources/{id}}: a partial update. */
  public IngressSource update(long id, IngressSourceUpdate update) {
    return transport.call("PUT", "/ingress-sources/" + id, update, IngressSource.class);
  }

  /** {@code DELETE /ingress-sources/{id}}. */
  public void delete(long id) {
    transport.run("DELETE", "/ingress-sources/" + id, null, RequestOptions.none());
  }
}
