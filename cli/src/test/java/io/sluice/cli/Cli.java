package io.sluice.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the sluice command in this JVM, capturing what it prints. */
final class Cli {
    /** A JAAS configuration the Kafka client reads, with a password no output may show. */
    static final String JAAS_WITH_SECRET =
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"app\" password=\"hunter2\";";

    private Cli() {}

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exit = command.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
