package io.sluice.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a standalone Spark master answers, asked before a session is built: a session on a
 * master nobody listens on retries for about a minute and then fails with
 * {@code LiveListenerBus is stopped}, naming neither the URL nor what to check.
 */
final class MasterCheck {
    static final int TIMEOUT_MS = 5_000;

    private MasterCheck() {}

    /** Why none of the masters of {@code master} ({@code spark://h1:7077,h2:7077}) answers; empty when one does, or when it is not a standalone URL. */
    static Optional<String> unreachable(String master) {
        if (master == null || !master.startsWith("spark://")) {
            return Optional.empty();
        }
        List<String> failures = new ArrayList<>();
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port;
            try {
                port = colon < 0 ? 7077 : Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                return Optional.of("the Spark master URL '" + master + "' has no port number in '" + hostPort
                        + "': write spark://host:7077");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
                return Optional.empty();
            } catch (IOException e) {
                failures.add(host + ":" + port + " ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            }
        }
        return Optional.of("cannot reach the Spark master at " + master + ": " + String.join(", ", failures)
                + " — check --master (or spark.master in the file's spark: map), and that the master is up and"
                + " reachable from here");
    }
}
