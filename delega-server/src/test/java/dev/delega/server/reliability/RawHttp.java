package dev.delega.server.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one connection per request, for requests no well-behaved client
 * would send: any bytes in the request line and the headers, any method, any body. An answer that
 * turns out to be an event stream is cut off after its headers.
 */
final class RawHttp {
  /** One answer: status, headers (lower-case names) and body. */
  record Answer(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String contentType() {
      return headers.getOrDefault("content-type", "");
    }

    boolean isStream() {
      return contentType().startsWith("text/event-stream");
    }
  }

  /** One header, sent exactly as given (its bytes are the string's UTF-8 bytes). */
  record Header(String name, String value) {}

  private final int port;

  RawHttp(int port) {
    this.port = port;
  }

  Answer send(String method, String target, List<Header> headers, byte[] body) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(20_000);
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      head.writeBytes((method + " " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
      head.writeBytes(("Host: 127.0.0.1:" + port + "\r\nConnection: close\r\n").getBytes(StandardCharsets.UTF_8));
      if (body != null) {
        head.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
      for (Header h : headers) {
        head.writeBytes((h.name() + ": " + h.value() + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
      head.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      try {
        out.write(head.toByteArray());
        if (body != null) {
          out.write(body);
        }
        out.flush();
      } catch (IOException refusedMidway) {
        // the server may answer and close before it has read everything (a 400 for a bad
        // request line, a 413): the answer is still there to read
      }
      return read(s.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + abbreviate(target), e);
    }
  }

  private static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before the end of the headers: "
            + headBytes.toString(StandardCharsets.ISO_8859_1));
      }
      headBytes.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
    }
    String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    int status = Integer.parseInt(statusLine[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    if (headers.getOrDefault("content-type", "").startsWith("text/event-stream")) {
      return new Answer(status, headers, new byte[0]);
    }
    byte[] rest = in.readAllBytes();
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      rest = dechunk(rest);
    } else if (headers.containsKey("content-length")) {
      int n = Integer.parseInt(headers.get("content-length"));
      if (rest.length > n) {
        rest = java.util.Arrays.copyOf(rest, n);
      }
    }
    if ("gzip".equalsIgnoreCase(headers.get("content-encoding")) && rest.length > 0) {
      try (java.util.zip.GZIPInputStream gz = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(rest))) {
        rest = gz.readAllBytes();
      }
    }
    return new Answer(status, headers, rest);
  }

  private static byte[] dechunk(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < raw.length) {
      int eol = indexOfCrlf(raw, i);
      if (eol < 0) {
        break;
      }
      String sizeText = new String(raw, i, eol - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
      int size = Integer.parseInt(sizeText, 16);
      if (size == 0) {
        break;
      }
      out.write(raw, eol + 2, Math.min(size, raw.length - eol - 2));
      i = eol + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOfCrlf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "…(" + s.length() + ")" : s;
  }
}
