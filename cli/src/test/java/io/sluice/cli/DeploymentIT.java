package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sluice.testkit.ReadmeTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deployment examples under {@code deploy/} stay true to the build (no Docker engine or
 * Kubernetes here, so what can be checked without them): the Dockerfile's base image is the
 * Spark this build runs on and every file it copies exists after {@code package}; the Spark
 * operator's manifest parses, names the main class that exists, the jar path the image puts it
 * at, and a pipeline file and arguments the command accepts; the plain spark-submit script agrees.
 */
class DeploymentIT {
    private static final Path ROOT = ReadmeTables.projectReadme().getParent();
    private static final Path DEPLOY = ROOT.resolve("deploy");

    /** The Spark this build runs on ({@code org.apache.spark.SPARK_VERSION}, a Scala package object's value). */
    private static String sparkVersion() throws ReflectiveOperationException {
        Class<?> spark = Class.forName("org.apache.spark.package$");
        return (String) spark.getMethod("SPARK_VERSION")
                .invoke(spark.getField("MODULE$").get(null));
    }

    @Test
    void theDockerfileBuildsOnThisSparkFromFilesTheBuildMakes() throws Exception {
        String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
        Matcher from = Pattern.compile("(?m)^FROM apache/spark:(\\S+)-scala(\\S+?)-java(\\d+)")
                .matcher(dockerfile);
        assertTrue(from.find(), dockerfile);
        assertEquals(sparkVersion(), from.group(1), "the image's Spark");
        assertEquals(scala.util.Properties.versionNumberString().replaceAll("^(\\d+\\.\\d+).*", "$1"), from.group(2));
        List<String> missing = new ArrayList<>();
        Matcher copy = Pattern.compile("(?m)^COPY (\\S+) (\\S+)$").matcher(dockerfile);
        List<String> targets = new ArrayList<>();
        while (copy.find()) {
            if (!Files.isRegularFile(ROOT.resolve(copy.group(1)))) {
                missing.add(copy.group(1));
            }
            targets.add(copy.group(2));
        }
        assertEquals(List.of(), missing, "the Dockerfile copies files the build makes");
        assertTrue(targets.contains("/opt/sluice/sluice.jar"), targets.toString());
        assertTrue(dockerfile.contains("\"--class\", \"" + Main.class.getName() + "\""), dockerfile);
        // the command line the image runs is one the command accepts
        assertTrue(dockerfile.contains(
                "CMD [\"run\", \"/opt/sluice/pipelines/orders.yaml\", \"--metrics-port\", \"9464\"]"));
        assertTrue(targets.contains("/opt/sluice/pipelines/orders.yaml"), targets.toString());
    }

    @Test
    void theSparkApplicationNamesWhatTheImageHolds() throws Exception {
        JsonNode app = new ObjectMapper(new YAMLFactory())
                .readTree(DEPLOY.resolve("kubernetes/sparkapplication.yaml").toFile());
        assertEquals("sparkoperator.k8s.io/v1beta2", app.get("apiVersion").asText());
        assertEquals("SparkApplication", app.get("kind").asText());
        JsonNode spec = app.get("spec");
        assertEquals(Main.class.getName(), spec.get("mainClass").asText());
        Class.forName(spec.get("mainClass").asText());
        assertEquals(
                "local:///opt/sluice/sluice.jar",
                spec.get("mainApplicationFile").asText());
        assertEquals(sparkVersion(), spec.get("sparkVersion").asText());
        List<String> arguments = new ArrayList<>();
        spec.get("arguments").forEach(a -> arguments.add(a.asText()));
        assertEquals("run", arguments.get(0));
        String mount = spec.at("/driver/volumeMounts/0/mountPath").asText();
        assertTrue(
                arguments.get(1).startsWith(mount + "/"),
                arguments + " reads the file the ConfigMap mounts at " + mount);
        int port = Integer.parseInt(arguments.get(arguments.indexOf("--metrics-port") + 1));
        assertEquals(port, spec.at("/driver/ports/0/containerPort").asInt());
        assertEquals(
                String.valueOf(port),
                spec.at("/driver/annotations/prometheus.io~1port").asText());
        // the arguments parse as the command's own
        picocli.CommandLine.ParseResult parsed = Main.commandLine().parseArgs(arguments.toArray(String[]::new));
        assertEquals("run", parsed.subcommand().commandSpec().name());
    }

    @Test
    void thePlainSparkSubmitScriptAgrees() throws Exception {
        String script = Files.readString(DEPLOY.resolve("kubernetes/spark-submit.sh"));
        assertTrue(script.contains("--class " + Main.class.getName()), script);
        assertTrue(script.contains("local:///opt/sluice/sluice.jar"), script);
        assertTrue(script.contains("--master \"k8s://"), script);
        assertTrue(Files.isExecutable(DEPLOY.resolve("kubernetes/spark-submit.sh")));
    }
}
