package dev.delega.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Which SQL failures are the store's condition (503, retry) and which are bugs (500). */
class ErrorsTest {
  @Test
  void busyLockedFullOrUnreachableStoresAreWorthARetry() {
    for (SQLiteErrorCode code : new SQLiteErrorCode[] {
        SQLiteErrorCode.SQLITE_BUSY, SQLiteErrorCode.SQLITE_LOCKED, SQLiteErrorCode.SQLITE_IOERR,
        SQLiteErrorCode.SQLITE_IOERR_SHORT_READ, SQLiteErrorCode.SQLITE_FULL, SQLiteErrorCode.SQLITE_CANTOPEN,
        SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT, SQLiteErrorCode.SQLITE_NOMEM, SQLiteErrorCode.SQLITE_INTERRUPT}) {
      assertThat(Errors.retryable(new SQLiteException("x", code))).as(code.name()).isTrue();
    }
    for (String state : new String[] {"08006", "40001", "40P01", "53100", "55P03", "57P01", "58030"}) {
      assertThat(Errors.retryable(new SQLException("x", state))).as(state).isTrue();
    }
    assertThat(Errors.retryable(new SQLException("no state"))).isTrue();
  }

  @Test
  void sqlErrorsThatRetryingCannotMendAreBugs() {
    for (SQLiteErrorCode code : new SQLiteErrorCode[] {
        SQLiteErrorCode.SQLITE_ERROR, SQLiteErrorCode.SQLITE_CONSTRAINT_CHECK, SQLiteErrorCode.SQLITE_CONSTRAINT_NOTNULL,
        SQLiteErrorCode.SQLITE_MISMATCH, SQLiteErrorCode.SQLITE_RANGE, SQLiteErrorCode.SQLITE_READONLY}) {
      assertThat(Errors.retryable(new SQLiteException("x", code))).as(code.name()).isFalse();
    }
    for (String state : new String[] {"42601", "42P01", "22P02", "23514", "0A000"}) {
      assertThat(Errors.retryable(new SQLException("x", state))).as(state).isFalse();
    }
  }
}
