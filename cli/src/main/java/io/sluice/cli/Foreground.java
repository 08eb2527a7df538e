package io.sluice.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/** The wait of {@code sluice dev}'s servers: in the foreground until Ctrl-C or SIGTERM. */
final class Foreground {
    private Foreground() {}

    static void awaitStop() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        stop.await();
    }
}
