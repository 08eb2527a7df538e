package io.sluice.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;

/**
 * Counts what Spark's Kafka consumer says at INFO when a task releases it (SPARK-44012: "read N
 * records through P polls ..., taking T nanos, during time span of S nanos"), for the profile:
 * how many polls a job's tasks made and how long they spent in them, the waiting that JFR's
 * execution samples cannot see.
 */
final class PollCounter extends AbstractAppender implements AutoCloseable {
    static final String LOGGER = "org.apache.spark.sql.kafka010.consumer.KafkaDataConsumer";
    private static final Pattern LINE = Pattern.compile(
            "read (\\d+) records through (\\d+) polls.*?taking (\\d+) nanos, during time span of (\\d+) nanos");

    private final AtomicLong tasks = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong readNanos = new AtomicLong();
    private final AtomicLong spanNanos = new AtomicLong();
    private final Level before;

    private PollCounter() {
        super("sluice-bench-polls", null, null, true, Property.EMPTY_ARRAY);
        before = LogManager.getLogger(LOGGER).getLevel();
    }

    /** Listens from now until {@link #close()}. */
    static PollCounter listen() {
        PollCounter counter = new PollCounter();
        counter.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().addLoggerAppender(context.getLogger(LOGGER), counter);
        Configurator.setLevel(LOGGER, Level.INFO);
        return counter;
    }

    @Override
    public void append(LogEvent event) {
        Matcher line = LINE.matcher(event.getMessage().getFormattedMessage());
        if (line.find()) {
            tasks.incrementAndGet();
            records.addAndGet(Long.parseLong(line.group(1)));
            polls.addAndGet(Long.parseLong(line.group(2)));
            readNanos.addAndGet(Long.parseLong(line.group(3)));
            spanNanos.addAndGet(Long.parseLong(line.group(4)));
        }
    }

    /** One line: tasks, records, polls, records a poll, and the share of the tasks' read span spent polling. */
    String summary() {
        if (tasks.get() == 0) {
            return "no line from " + LOGGER + " (Spark did not log its polls)";
        }
        return String.format(
                "%,d tasks read %,d records through %,d polls (%,.0f records a poll), %.1f s polling in %.1f s of"
                        + " their read spans (%.0f %%)",
                tasks.get(),
                records.get(),
                polls.get(),
                (double) records.get() / Math.max(1, polls.get()),
                readNanos.get() / 1e9,
                spanNanos.get() / 1e9,
                100.0 * readNanos.get() / Math.max(1, spanNanos.get()));
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getLoggerConfig(LOGGER).removeAppender(getName());
        Configurator.setLevel(LOGGER, before);
        stop();
    }
}
