package dev.delega.server.store;

import org.jdbi.v3.core.config.Configurable;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;

/**
 * Jdbi failure messages with the statement but without its bound values: those hold webhook and
 * ingress secrets, key hashes and task text, and a failure's message ends up in the log.
 */
final class StatementMessages {
  private static final int MAX_SQL = 240;

  private StatementMessages() {}

  static <T extends Configurable<T>> T install(T jdbi) {
    jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementMessages::render);
    return jdbi;
  }

  static String render(StatementException e) {
    StatementContext ctx = e.getStatementContext();
    String sql = ctx == null ? null : ctx.getRawSql();
    if (sql == null) {
      return e.getShortMessage();
    }
    String flat = sql.replaceAll("\\s+", " ").trim();
    if (flat.length() > MAX_SQL) {
      flat = flat.substring(0, MAX_SQL) + "…";
    }
    return e.getShortMessage() + " [statement: \"" + flat + "\"]";
  }
}
