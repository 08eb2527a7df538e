package io.sluice.bench;

/** Something the benchmark times: a whole run of a pipeline or a query. */
@FunctionalInterface
interface Job {
    void run() throws Exception;

    /** Seconds the job took. */
    default double seconds() throws Exception {
        long start = System.nanoTime();
        run();
        return (System.nanoTime() - start) / 1e9;
    }
}
