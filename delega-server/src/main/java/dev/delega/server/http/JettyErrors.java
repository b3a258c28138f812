package dev.delega.server.http;

import dev.delega.api.Json;
import dev.delega.api.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The error body for failures Jetty answers itself, before a request reaches a route: a request
 * line or header it cannot parse (a control character, broken percent-encoding, an illegal path
 * character), a URI or headers too long, a servlet's {@code sendError} (such as a 405 from the MCP
 * servlet). They get the same {@code {error, code, status, detail}} JSON as every other error,
 * whatever the {@code Accept} header asks for, instead of Jetty's HTML page.
 */
final class JettyErrors {
  private JettyErrors() {}

  /** For the server: errors before any context is chosen (the HTTP parser's 400, 414, 431). */
  static ErrorHandler server() {
    return new ErrorHandler() {
      @Override
      protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
          Callback callback) {
        writeProblem(response, callback, code, message); // whatever Accept says, even when it cannot be parsed
      }

      @Override
      public boolean errorPageForMethod(String method) {
        return true; // a body for every method, not only GET, POST and HEAD
      }

      @Override
      public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        byte[] body = problem(status, reason);
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body);
      }

      @Override
      protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
          List<Charset> charsets, int code, String message, Throwable cause) {
        return writeProblem(response, callback, code, message);
      }
    };
  }

  /** For the servlet context: errors a servlet or the servlet layer reports with {@code sendError}. */
  static org.eclipse.jetty.ee10.servlet.ErrorHandler servlet() {
    return new org.eclipse.jetty.ee10.servlet.ErrorHandler() {
      @Override
      protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
          Callback callback) {
        writeProblem(response, callback, code, message); // whatever Accept says, even when it cannot be parsed
      }

      @Override
      public boolean errorPageForMethod(String method) {
        return true;
      }

      @Override
      protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
          List<Charset> charsets, int code, String message, Throwable cause) {
        return writeProblem(response, callback, code, message);
      }
    };
  }

  static String code(int status) {
    return switch (status) {
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 414 -> "uri_too_long";
      case 431 -> "headers_too_large";
      default -> status >= 500 ? "internal" : "bad_request";
    };
  }

  static String message(int status, String jetty) {
    String detail = jetty == null || jetty.isBlank() || jetty.equalsIgnoreCase("Bad Request") ? null : jetty;
    return switch (status) {
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 413 -> "Request body too large";
      case 414 -> "Request URI too long; send long values in the body";
      case 431 -> "Request headers too large";
      default -> status >= 500 ? "Internal Server Error"
          : "Bad request: " + (detail == null ? "the request line or a header could not be parsed" : detail);
    };
  }

  private static byte[] problem(int status, String jettyMessage) {
    return Json.mapper().writeValueAsBytes(new Problem(message(status, jettyMessage), code(status), status));
  }

  private static boolean writeProblem(Response response, Callback callback, int code, String message) {
    byte[] body = problem(code, message);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }
}
