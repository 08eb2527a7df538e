package io.sluice.testkit;

import static org.apache.spark.sql.functions.col;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Stops one Spark task in the middle of a batch, for tests of what a sink does when a query
 * is killed while it writes: the task that meets the record at {@code partition:offset} waits
 * until released, while the batch's other tasks finish their files. Spark runs tasks in the
 * test's JVM (local mode), which is what lets a static latch reach into a task.
 *
 * <pre>{@code
 * TaskBlocker.blockAt(1, 100);
 * pipeline.transform("block one task", TaskBlocker::apply) ...start();
 * TaskBlocker.awaitBlocked(Duration.ofMinutes(2));   // a batch is half written
 * handle.stop(); TaskBlocker.release();
 * }</pre>
 */
public final class TaskBlocker {
    private static volatile String blockAt;
    private static volatile CountDownLatch blocked = new CountDownLatch(1);
    private static volatile CountDownLatch released = new CountDownLatch(1);
    private static final UserDefinedFunction UDF = functions
            .udf((UDF2<Integer, Long, Long>) TaskBlocker::pass, DataTypes.LongType)
            .asNondeterministic();

    private TaskBlocker() {}

    /** The next task to meet this record blocks; {@link #release()} lets it go. */
    public static void blockAt(int partition, long offset) {
        blocked = new CountDownLatch(1);
        released = new CountDownLatch(1);
        blockAt = partition + ":" + offset;
    }

    /** No task blocks any more (a restart's tasks run through). */
    public static void disarm() {
        blockAt = null;
    }

    /** Waits until a task is blocked; false if none was within {@code timeout}. */
    public static boolean awaitBlocked(Duration timeout) throws InterruptedException {
        return blocked.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets a blocked task go on (after its query was stopped, it ends as a cancelled task). */
    public static void release() {
        released.countDown();
    }

    /** The rows unchanged, through a step that blocks at the chosen record; needs Kafka's partition and offset columns. */
    public static Dataset<Row> apply(Dataset<Row> data) {
        return data.withColumn("offset", UDF.apply(col("partition"), col("offset")));
    }

    private static Long pass(Integer partition, Long offset) throws InterruptedException {
        String at = blockAt;
        if (at != null && at.equals(partition + ":" + offset)) {
            blocked.countDown();
            released.await(2, TimeUnit.MINUTES);
        }
        return offset;
    }
}
