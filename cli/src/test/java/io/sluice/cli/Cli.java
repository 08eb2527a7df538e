package io.sluice.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the sluice command in this JVM, capturing what it prints. */
final class Cli {
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
