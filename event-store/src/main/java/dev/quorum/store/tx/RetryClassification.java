package dev.quorum.store.tx;

import java.io.IOException;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The one place that decides whether a database error is retried, isolated to a record, or fatal.
 *
 * <p>It looks at the whole cause chain (and JDBC's chained exceptions): a driver often wraps the
 * socket error or the server's SQLSTATE a few levels down.
 */
public final class RetryClassification {

  private RetryClassification() {}

  /**
   * Classifies an error raised while running a transaction. A refusal to connect (bad credentials, a
   * missing database, a TLS handshake that fails) is fatal wherever it sits in the chain: a pool wraps
   * it in a transient "connection not available" error, which must not make it wait forever.
   */
  public static ErrorKind classify(Throwable error) {
    List<Throwable> chain = chain(error);
    for (Throwable t : chain) {
      if (isConnectionRefusal(t)) return ErrorKind.FATAL;
    }
    boolean record = false;
    for (Throwable t : chain) {
      if (t instanceof RetryableStoreException) return ErrorKind.RETRYABLE;
      if (t instanceof IOException
          || t instanceof SQLTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return ErrorKind.RETRYABLE;
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (isRetryableState(state) || isConflictMessage(sql.getMessage())) return ErrorKind.RETRYABLE;
        if (isRecordState(state)) record = true;
      }
    }
    return record ? ErrorKind.RECORD : ErrorKind.FATAL;
  }

  public static boolean isRetryable(Throwable error) {
    return classify(error) == ErrorKind.RETRYABLE;
  }

  /** The first SQLSTATE found in the cause chain, or null. */
  public static String sqlState(Throwable error) {
    for (Throwable t : chain(error)) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) return sql.getSQLState();
    }
    return null;
  }

  /** DSQL's conflict code named in a message of the cause chain ({@code OC000} or {@code OC001}), or null. */
  public static String conflictCode(Throwable error) {
    for (Throwable t : chain(error)) {
      String message = t.getMessage();
      if (message == null) continue;
      if (message.contains("(OC000)")) return "OC000";
      if (message.contains("(OC001)")) return "OC001";
    }
    return null;
  }

  /** The server refused us for good: no retry will change the answer. */
  private static boolean isConnectionRefusal(Throwable t) {
    if (t instanceof SSLHandshakeException || t instanceof SSLPeerUnverifiedException
        || t instanceof CertificateException) {
      return true;
    }
    return t instanceof SQLException sql && isRefusalState(sql.getSQLState());
  }

  static boolean isRefusalState(String state) {
    if (state == null) return false;
    return state.startsWith("28") // invalid authorization: a wrong password, an unknown role, an expired token
        || state.equals("3D000"); // the database does not exist
  }

  static boolean isRetryableState(String state) {
    if (state == null) return false;
    return state.equals("40001") // serialization failure: DSQL OC000 / OC001, PostgreSQL REPEATABLE READ
        || state.equals("40P01") // PostgreSQL deadlock: the victim's transaction is safe to re-run
        || state.equals("23505") // unique violation: a concurrent insert of the same key won
        || state.startsWith("08") // connection exception
        || state.equals("57014") // statement cancelled by the transaction's time cap
        || state.equals("57P01") // admin shutdown: the server went away, like a lost connection
        || state.equals("57P02")
        || state.equals("57P03");
  }

  static boolean isRecordState(String state) {
    if (state == null) return false;
    return state.startsWith("22") // data exception: a value the column or encoding refuses
        || (state.startsWith("23") && !state.equals("23505")) // integrity constraint on one row
        || state.equals("54000"); // program limit, e.g. a key or row too large
  }

  /** DSQL names its conflicts in the message; a proxy may lose the SQLSTATE but keep the text. */
  static boolean isConflictMessage(String message) {
    return message != null && (message.contains("(OC000)") || message.contains("(OC001)"));
  }

  private static List<Throwable> chain(Throwable error) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Throwable> pending = new ArrayDeque<>();
    List<Throwable> ordered = new ArrayList<>();
    if (error != null) pending.add(error);
    while (!pending.isEmpty()) {
      Throwable t = pending.poll();
      if (!seen.add(t)) continue;
      ordered.add(t);
      if (t.getCause() != null) pending.add(t.getCause());
      if (t instanceof SQLException sql && sql.getNextException() != null) pending.add(sql.getNextException());
    }
    return ordered;
  }
}
