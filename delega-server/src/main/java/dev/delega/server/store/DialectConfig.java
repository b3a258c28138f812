package dev.delega.server.store;

import org.jdbi.v3.core.config.JdbiConfig;

/**
 * The dialect of a Jdbi instance, carried in its configuration so that code holding only a
 * {@link org.jdbi.v3.core.Handle} can ask {@link Dialect#of} which SQL to write.
 */
public final class DialectConfig implements JdbiConfig<DialectConfig> {
  private Dialect dialect;

  public DialectConfig() {}

  private DialectConfig(DialectConfig other) {
    this.dialect = other.dialect;
  }

  Dialect dialect() {
    if (dialect == null) {
      throw new IllegalStateException("this Jdbi instance was not given its dialect (Dialect.install)");
    }
    return dialect;
  }

  void set(Dialect d) {
    this.dialect = d;
  }

  @Override
  public DialectConfig createCopy() {
    return new DialectConfig(this);
  }
}
