package dev.delega.server.mcp;

import dev.delega.client.DelegaClient;
import dev.delega.mcp.McpHttpEndpoint;
import dev.delega.mcp.McpOptions;
import dev.delega.server.Features;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * MCP over Streamable HTTP at {@code /mcp} on the server's port: the stateless MCP servlet behind
 * {@link McpGuard} (Host and Origin checks, agent key). Each tool acts as the calling agent through
 * the Delega SDK against this server's own REST API on the address the request arrived at, so the
 * tools behave exactly as they do over stdio.
 */
public final class McpFeature {
  /** Where the endpoint answers. */
  public static final String PATH = "/mcp";

  private McpFeature() {}

  /** Mounts {@code /mcp}. */
  public static void install(Features f) {
    LoopbackClients clients = new LoopbackClients();
    McpHttpEndpoint endpoint =
        McpHttpEndpoint.create(
            PATH,
            clients::forRequest,
            McpOptions.defaults(),
            (int) Math.min(Integer.MAX_VALUE, f.config().maxBodyBytes()));
    McpGuard guard = new McpGuard(f.config(), f.agents());
    f.javalin()
        .accept(
        cfg ->
            cfg.jetty.modifyServletContextHandler(
                h -> {
                  h.addFilter(new FilterHolder(guard), PATH, EnumSet.of(DispatcherType.REQUEST));
                  h.addServlet(new ServletHolder(endpoint.servlet()), PATH);
                }));
    f.closeOnShutdown().accept(clients);
    f.closeOnShutdown().accept(endpoint);
  }

  /**
   * SDK clients pointed at this server's REST API, one shared connection pool, one key per
   * request (set by {@link McpGuard}).
   */
  static final class LoopbackClients implements AutoCloseable {
    private volatile DelegaClient base;

    DelegaClient forRequest(HttpServletRequest request) {
      return base(request).withApiKey((String) request.getAttribute(McpGuard.KEY_ATTRIBUTE));
    }

    private DelegaClient base(HttpServletRequest request) {
      DelegaClient b = base;
      if (b == null) {
        synchronized (this) {
          b = base;
          if (b == null) {
            String address = request.getLocalAddr();
            String host = address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
            b =
                DelegaClient.builder()
                    .baseUrl("http://" + host + ":" + request.getLocalPort() + "/api")
                    .allowInsecureHttp(true)
                    .userAgent("delega-mcp-http/" + dev.delega.mcp.DelegaMcp.VERSION)
                    .build();
            base = b;
          }
        }
      }
      return b;
    }

    @Override
    public void close() {
      DelegaClient b = base;
      if (b != null) {
        b.close();
      }
    }
  }
}
