package io.sluice.cli;

import io.sluice.core.StreamTrigger;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.engine.Sluice;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.RateSource;
import java.util.List;

/**
 * A program that closes its Sluice while a pipeline runs, for {@link CloseRaceTest} to send it
 * SIGTERM at that moment: prints {@code closing} just before {@code Sluice.close()}, then
 * {@code closed}. The pipeline's trigger is 30 s, so the close meets it between batches: what
 * is tested is the close and the shutdown hook, not a batch cut short (Spark logs its abort).
 */
public final class CloseRaceProgram {
    private CloseRaceProgram() {}

    public static void main(String[] args) throws Exception {
        Sluice owner = Sluice.embedded();
        ConnectorRegistry registry = ConnectorRegistry.of(
                List.of(new RateSource()),
                ConnectorRegistry.load(CloseRaceProgram.class.getClassLoader()).sinks());
        PipelineHandle handle = Sluice.using(owner.spark(), registry)
                .pipeline("racing")
                .source("rate")
                .sink("memory")
                .trigger(StreamTrigger.processingTime(java.time.Duration.ofSeconds(30)))
                .build()
                .start();
        while (handle.lastProgress().isEmpty()) {
            Thread.sleep(50);
        }
        System.out.println("closing");
        System.out.flush();
        owner.close();
        System.out.println("closed");
        System.out.flush();
    }
}
