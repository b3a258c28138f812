package dev.delega.cli;

import dev.delega.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code ~/.delega/config.json}: the saved API URL and key, as the official CLI keeps them. The
 * directory is created 0700 and the file written 0600 (atomically, through a temporary file).
 */
final class ConfigFile {
  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  /** What the file holds; either may be null. */
  record Values(String apiUrl, String apiKey) {
    static final Values EMPTY = new Values(null, null);
  }

  private final Path dir;

  ConfigFile(Path home) {
    this.dir = home.resolve(".delega");
  }

  Path dir() {
    return dir;
  }

  Path file() {
    return dir.resolve("config.json");
  }

  /** The saved values; empty when there is no file. A file that is not JSON is an error. */
  Values read() {
    Path f = file();
    if (!Files.isRegularFile(f)) {
      return Values.EMPTY;
    }
    try {
      JsonNode node = Json.mapper().readTree(Files.readAllBytes(f));
      return new Values(text(node, "api_url"), text(node, "api_key"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JacksonException e) {
      throw new CliException(f + " is not valid JSON; fix it or run `delega reset`");
    }
  }

  /** Saves both values (a null one is left out), creating the directory 0700 and the file 0600. */
  void write(Values values) {
    Map<String, String> body = new LinkedHashMap<>();
    if (values.apiUrl() != null) {
      body.put("api_url", values.apiUrl());
    }
    if (values.apiKey() != null) {
      body.put("api_key", values.apiKey());
    }
    try {
      if (!Files.isDirectory(dir)) {
        if (POSIX) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR));
        } else {
          Files.createDirectories(dir);
        }
      }
      if (POSIX) {
        Files.setPosixFilePermissions(dir, DIR);
      }
      Path tmp =
          POSIX
              ? Files.createTempFile(dir, "config", ".tmp", PosixFilePermissions.asFileAttribute(FILE))
              : Files.createTempFile(dir, "config", ".tmp");
      Files.write(tmp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(body));
      try {
        Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
      }
      if (POSIX) {
        Files.setPosixFilePermissions(file(), FILE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the whole directory; false when there was none. */
  boolean delete() {
    if (!Files.exists(dir)) {
      return false;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || !v.isString() || v.asString().isBlank() ? null : v.asString().strip();
  }
}
