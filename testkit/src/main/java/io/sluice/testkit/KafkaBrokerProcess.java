package io.sluice.testkit;

import java.nio.file.Path;

/**
 * The embedded broker as a process of its own, for tests that kill it ({@code kill -9}) and
 * start it again on the same data and port, as a broker fails and comes back in production.
 * Prints {@link #READY} and the bootstrap servers when it answers, then runs until the
 * process ends. Arguments: log directory, broker port, controller port.
 */
public final class KafkaBrokerProcess {
    public static final String READY = "broker ready on ";

    private KafkaBrokerProcess() {}

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafka kafka =
                EmbeddedKafka.startAt(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
        System.out.println(READY + kafka.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }
}
