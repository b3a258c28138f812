package dev.delega.server.agent;

import dev.delega.server.store.Database;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The server secret agent keys are hashed with: {@code DELEGA_KEY_PEPPER} when set, otherwise
 * generated on first start and kept in the database's {@code settings} table, so every node that
 * shares the database shares it.
 */
public final class KeyPepper {
  private KeyPepper() {}

  /** Returns the pepper bytes, creating and storing a random one when none exists yet. */
  public static byte[] load(Database db, String configured) {
    if (configured != null) {
      return configured.getBytes(StandardCharsets.UTF_8);
    }
    String stored =
        db.write(
            tx -> {
              Optional<String> existing =
                  tx.handle()
                      .createQuery("SELECT value FROM settings WHERE name = 'key_pepper'")
                      .mapTo(String.class)
                      .findOne();
              if (existing.isPresent()) {
                return existing.get();
              }
              byte[] bytes = new byte[32];
              new SecureRandom().nextBytes(bytes);
              String value = Base64.getEncoder().encodeToString(bytes);
              tx.handle()
                  .createUpdate(
                      "INSERT INTO settings (name, value) VALUES ('key_pepper', ?)"
                          + " ON CONFLICT (name) DO NOTHING")
                  .bind(0, value)
                  .execute();
              return tx.handle()
                  .createQuery("SELECT value FROM settings WHERE name = 'key_pepper'")
                  .mapTo(String.class)
                  .one();
            });
    return Base64.getDecoder().decode(stored);
  }
}
