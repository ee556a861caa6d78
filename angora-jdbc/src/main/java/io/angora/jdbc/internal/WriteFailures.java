package io.angora.jdbc.internal;

import java.sql.BatchUpdateException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.Set;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Tells a write the database refuses (this row can never be written: a value out of range, a
 * constraint, a row too big) from a database that is away or failing as a whole (unreachable,
 * disk full, locked, read-only, a missing table), where waiting and retrying is right. Anything
 * not known to be a refusal counts as a failure of the database: a row is set aside only when
 * its fault is certain.
 *
 * <p>Stateless.
 */
final class WriteFailures {
  /** SQLState classes of refused data: data exception, integrity constraint, limits exceeded. */
  private static final Set<String> REFUSED_CLASSES = Set.of("22", "23", "54");
  private static final Set<SQLiteErrorCode> REFUSED_SQLITE = Set.of(SQLiteErrorCode.SQLITE_TOOBIG,
      SQLiteErrorCode.SQLITE_CONSTRAINT, SQLiteErrorCode.SQLITE_MISMATCH,
      SQLiteErrorCode.SQLITE_RANGE);

  private WriteFailures() {}

  /**
   * Whether a failure refuses the data rather than reports the database away.
   *
   * @param failure what writing threw
   * @return true when the rows written are at fault
   */
  static boolean refused(Throwable failure) {
    for (Throwable t = failure; t != null; t = next(t)) {
      if (t instanceof SQLDataException || t instanceof SQLIntegrityConstraintViolationException
          || t instanceof ArithmeticException || t instanceof java.time.DateTimeException) {
        return true;
      }
      if (t instanceof SQLiteException sqlite) {
        SQLiteErrorCode code = sqlite.getResultCode();
        SQLiteErrorCode primary = code == null ? null : SQLiteErrorCode.getErrorCode(code.code & 0xff);
        if (primary != null && REFUSED_SQLITE.contains(primary)) {
          return true;
        }
      } else if (t instanceof SQLException sql && sql.getSQLState() != null
          && sql.getSQLState().length() >= 2
          && REFUSED_CLASSES.contains(sql.getSQLState().substring(0, 2))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The reason to log and report for a refusal: the innermost database message.
   *
   * @param failure what writing threw
   * @return the reason
   */
  static String reason(Throwable failure) {
    Throwable deepest = failure;
    for (Throwable t = failure; t != null; t = next(t)) {
      if (t instanceof SQLException && !(t instanceof BatchUpdateException)) {
        deepest = t;
        break;
      }
    }
    String message = deepest.getMessage();
    return message == null ? deepest.toString() : message;
  }

  private static Throwable next(Throwable t) {
    if (t instanceof SQLException sql && sql.getNextException() != null
        && sql.getNextException() != t) {
      return sql.getNextException();
    }
    return t.getCause() == t ? null : t.getCause();
  }
}
