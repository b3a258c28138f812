package dev.delega.server.mcp;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A response that keeps what the MCP servlet writes, so {@link McpGuard} can look at it (and
 * rewrite an error) before anything is sent. Status and headers go to the real response at once;
 * {@code sendError} too (the server's error handler writes that body), which {@link #sentError}
 * tells.
 */
final class BufferedResponse extends HttpServletResponseWrapper {
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private PrintWriter writer;
  private ServletOutputStream stream;
  private boolean sentError;

  BufferedResponse(HttpServletResponse response) {
    super(response);
  }

  /** What the servlet wrote. */
  byte[] body() {
    if (writer != null) {
      writer.flush();
    }
    return buffer.toByteArray();
  }

  /** True when the servlet answered with {@code sendError}, already handed to the real response. */
  boolean sentError() {
    return sentError;
  }

  @Override
  public void sendError(int sc, String msg) throws IOException {
    sentError = true;
    super.sendError(sc, msg);
  }

  @Override
  public void sendError(int sc) throws IOException {
    sentError = true;
    super.sendError(sc);
  }

  @Override
  public PrintWriter getWriter() {
    if (writer == null) {
      writer = new PrintWriter(new OutputStreamWriter(buffer, StandardCharsets.UTF_8));
    }
    return writer;
  }

  @Override
  public ServletOutputStream getOutputStream() {
    if (stream == null) {
      stream =
          new ServletOutputStream() {
            @Override
            public void write(int b) {
              buffer.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
              buffer.write(b, off, len);
            }

            @Override
            public boolean isReady() {
              return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
              try {
                listener.onWritePossible();
              } catch (IOException e) {
                listener.onError(e);
              }
            }
          };
    }
    return stream;
  }

  @Override
  public void flushBuffer() {
    // nothing is sent until the guard has seen the whole answer
  }

  @Override
  public void setContentLength(int len) {
    // the guard sets the length of what it finally sends
  }

  @Override
  public void setContentLengthLong(long len) {
    // the guard sets the length of what it finally sends
  }

  @Override
  public void resetBuffer() {
    body();
    buffer.reset();
    super.resetBuffer();
  }

  @Override
  public void reset() {
    body();
    buffer.reset();
    super.reset();
  }
}
