package dev.delega.mcp;

import dev.delega.client.DelegaClient;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;

/**
 * The Delega tools over MCP Streamable HTTP, as a servlet to mount in a servlet container. It is
 * stateless (no sessions, every POST answered with JSON), so any server node can answer any
 * request without sticky sessions. It does not authenticate: the container must check the caller
 * before the servlet runs, and {@link ClientSource} supplies the SDK client acting as that caller.
 */
public final class McpHttpEndpoint implements AutoCloseable {
  private static final String CLIENT = "delega.client";

  private final HttpServletStatelessServerTransport transport;
  private final McpStatelessSyncServer server;

  private McpHttpEndpoint(HttpServletStatelessServerTransport transport, McpStatelessSyncServer server) {
    this.transport = transport;
    this.server = server;
  }

  /** Gives the Delega client that acts as the (already authenticated) caller of a request. */
  @FunctionalInterface
  public interface ClientSource {
    /** The client for this request; called once per MCP message. */
    DelegaClient clientFor(HttpServletRequest request);
  }

  /**
   * An endpoint answering at {@code path} (for example {@code /mcp}).
   *
   * @param path the servlet path the endpoint is mounted at
   * @param clients the client of each request's caller
   * @param options how secrets are shown
   */
  public static McpHttpEndpoint create(String path, ClientSource clients, McpOptions options) {
    return create(path, clients, options, 16 * 1024 * 1024);
  }

  /** Like {@link #create(String, ClientSource, McpOptions)}, refusing bodies over {@code maxRequestBytes}. */
  public static McpHttpEndpoint create(
      String path, ClientSource clients, McpOptions options, int maxRequestBytes) {
    HttpServletStatelessServerTransport transport =
        HttpServletStatelessServerTransport.builder()
            .jsonMapper(McpJsonDefaults.getMapper())
            .messageEndpoint(path)
            .maxRequestSize(maxRequestBytes)
            .contextExtractor(
                request -> McpTransportContext.create(Map.of(CLIENT, clients.clientFor(request))))
            .build();
    McpStatelessSyncServer server =
        McpServer.sync(transport)
            .serverInfo(DelegaMcp.SERVER_NAME, DelegaMcp.VERSION)
            .instructions(DelegaMcp.INSTRUCTIONS)
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .validateToolInputs(false)
            .tools(DelegaMcp.statelessTools(McpHttpEndpoint::client, options))
            .build();
    return new McpHttpEndpoint(transport, server);
  }

  private static DelegaClient client(McpTransportContext context) {
    Object client = context.get(CLIENT);
    if (!(client instanceof DelegaClient c)) {
      throw new IllegalStateException("no Delega client in the MCP request context");
    }
    return c;
  }

  /** The servlet to mount at the endpoint's path. */
  public HttpServlet servlet() {
    return transport;
  }

  /** Stops answering; in-flight calls finish. */
  @Override
  public void close() {
    server.closeGracefully();
  }
}
