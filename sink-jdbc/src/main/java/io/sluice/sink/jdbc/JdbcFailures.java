package io.sluice.sink.jdbc;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a database's refusal means, in one place: which failures may pass if the batch is
 * tried again (a lost connection, a deadlock, a serialization failure, a server shutting
 * down or out of connections) and the words for each — the table, the row's key and the
 * database's own first line, never its detail (which may repeat a whole row).
 */
final class JdbcFailures {
    /** SQLSTATEs worth another try, beyond class 08 (connection exception) and class 53 (insufficient resources). */
    private static final Set<String> RETRIABLE_STATES = Set.of("40001", "40P01", "57P01", "57P02", "57P03");

    private JdbcFailures() {}

    static boolean retriable(SQLException e) {
        for (Throwable t : JdbcWriteException.chain(e)) {
            if (t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException
                    || t instanceof IOException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("53") || RETRIABLE_STATES.contains(state)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The failure to reach the database at all (before start, or when a task or the driver connects). */
    static JdbcWriteException unreachable(Database database, SQLException e) {
        return new JdbcWriteException("cannot connect to " + database.who() + ": " + firstLine(e), retriable(e), e);
    }

    /**
     * A statement the database refused while writing {@code table}.
     *
     * @param row the row's key in words ({@code the row with id=42}), when the failing row is known
     */
    static JdbcWriteException refused(WritePlan plan, SQLException e, Optional<String> row) {
        if (retriable(e)) {
            String what = isConnection(e)
                    ? "lost the connection to " + plan.database().who()
                    : "the database";
            return new JdbcWriteException(
                    "writing table '" + plan.table() + "': " + what + " (" + firstLine(e) + ")", true, e);
        }
        String state = Optional.ofNullable(e.getSQLState()).orElse("");
        String subject = row.orElse("a row");
        if (state.startsWith("23") || state.startsWith("22")) {
            return new JdbcWriteException(
                    "table '" + plan.table() + "' refused " + subject + ": " + firstLine(e)
                            + " — fix the rows in the query or the table's constraint; the batch is written again,"
                            + " whole, when the pipeline starts again",
                    false,
                    e);
        }
        if (state.equals("42501")) {
            return new JdbcWriteException(
                    plan.database().who() + " may not write table '" + plan.table() + "': " + firstLine(e)
                            + " — grant it INSERT, UPDATE and DELETE on the table and on the ledger '" + plan.ledger()
                            + "'",
                    false,
                    e);
        }
        return new JdbcWriteException("writing table '" + plan.table() + "': " + firstLine(e), false, e);
    }

    /** The database's own words, without PostgreSQL's {@code ERROR:} and without its detail lines. */
    static String firstLine(Throwable e) {
        Throwable shown = e;
        if (e instanceof java.sql.BatchUpdateException batch && batch.getNextException() != null) {
            shown = batch.getNextException();
        }
        String message = String.valueOf(shown.getMessage()).strip();
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline).strip();
        return line.replaceFirst("^(ERROR|FATAL): ", "");
    }

    private static boolean isConnection(SQLException e) {
        List<Throwable> chain = JdbcWriteException.chain(e);
        return chain.stream()
                .anyMatch(t -> t instanceof IOException
                        || t instanceof SQLRecoverableException
                        || (t instanceof SQLException sql
                                && sql.getSQLState() != null
                                && (sql.getSQLState().startsWith("08")
                                        || sql.getSQLState().startsWith("57P"))));
    }
}
