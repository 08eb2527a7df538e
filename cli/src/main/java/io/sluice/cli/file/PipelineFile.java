package io.sluice.cli.file;

import static java.util.Objects.requireNonNull;

import io.sluice.engine.metrics.MetricsSettings;
import io.sluice.engine.plan.PipelineDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pipeline file as read: its Spark settings, the pipelines it declares, and every problem
 * found in it so far. A pipeline with problems of the file's own (an unknown field, a bad
 * trigger) is still here when it has a name, a source and a sink, so that the engine's validation
 * adds its problems and the user sees them all in one round.
 *
 * @param file the name problems are reported under, as the user gave it
 * @param spark session settings from the file's {@code spark:} map
 * @param metrics the metrics endpoint the file's {@code metrics:} block asks for, and where it is written
 */
public record PipelineFile(
        String file,
        Map<String, String> spark,
        Optional<Metrics> metrics,
        List<FilePipeline> pipelines,
        List<FileProblem> problems) {
    public PipelineFile {
        requireNonNull(file, "file is null");
        spark = Map.copyOf(requireNonNull(spark, "spark is null"));
        requireNonNull(metrics, "metrics is null");
        pipelines = List.copyOf(requireNonNull(pipelines, "pipelines is null"));
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
    }

    /** A file without a {@code metrics:} block. */
    public PipelineFile(
            String file, Map<String, String> spark, List<FilePipeline> pipelines, List<FileProblem> problems) {
        this(file, spark, Optional.empty(), pipelines, problems);
    }

    /** The file's {@code metrics:} block: the endpoint's settings, and the block's place for a conflict's message. */
    public record Metrics(MetricsSettings settings, Position position) {
        public Metrics {
            requireNonNull(settings, "settings is null");
            requireNonNull(position, "position is null");
        }
    }

    /** One pipeline of the file: what core runs, and the node it came from, to place the engine's problems. */
    public record FilePipeline(PipelineDefinition definition, Node.MapNode node) {
        public FilePipeline {
            requireNonNull(definition, "definition is null");
            requireNonNull(node, "node is null");
        }

        /**
         * Whether {@code path} names an option the file writes but the definition lacks — its
         * value was refused by the file's own checks (an unset variable, a map where a value
         * goes), which already said so: the engine's problems about it ("missing required option")
         * are consequences, and the cause is reported once.
         */
        public boolean dropped(List<String> path) {
            // [source, options, key], [sink, options, key] or [sinks, 2, options, key]
            int at = path.size() == 4 && path.get(0).equals("sinks") ? 2 : 1;
            if (path.size() != at + 2 || !path.get(at).equals("options")) {
                return false;
            }
            Map<String, String> options = optionsAt(path.subList(0, at));
            String key = path.get(at + 1);
            return options != null && !options.containsKey(key) && walk(path).size() == path.size();
        }

        /** The definition's options of the connector at {@code [source]}, {@code [sink]} or {@code [sinks, 2]}. */
        private Map<String, String> optionsAt(List<String> connector) {
            return switch (connector.get(0)) {
                case "source" -> definition.sourceOptions();
                case "sink" -> definition.sinkOptions();
                case "sinks" -> {
                    int entry = Integer.parseInt(connector.get(1)) - 1;
                    yield entry < definition.sinks().size()
                            ? definition.sinks().get(entry).options()
                            : null;
                }
                default -> null;
            };
        }

        /** The part of {@code path} the file has, as far as it goes. */
        private List<String> walk(List<String> path) {
            Node current = node;
            for (int i = 0; i < path.size(); i++) {
                String part = path.get(i);
                if (current instanceof Node.MapNode map && map.entries().containsKey(part)) {
                    current = map.entries().get(part).value();
                } else if (current instanceof Node.ListNode list
                        && part.matches("\\d+")
                        && Integer.parseInt(part) >= 1
                        && Integer.parseInt(part) <= list.items().size()) {
                    current = list.items().get(Integer.parseInt(part) - 1);
                } else {
                    return path.subList(0, i);
                }
            }
            return path;
        }

        /**
         * Where a part of the definition was written: walks a problem's path ({@code source,
         * options, kafka.bootstrap.servers}) as far as the file has it.
         */
        public Position positionOf(List<String> path) {
            Node current = node;
            Position position = node.position();
            for (String part : path) {
                if (current instanceof Node.MapNode map && map.entries().containsKey(part)) {
                    Node.Entry entry = map.entries().get(part);
                    position = entry.keyPosition();
                    current = entry.value();
                } else if (current instanceof Node.ListNode list
                        && part.matches("\\d+")
                        && Integer.parseInt(part) >= 1
                        && Integer.parseInt(part) <= list.items().size()) {
                    current = list.items().get(Integer.parseInt(part) - 1);
                    position = current.position();
                } else {
                    break;
                }
            }
            return position;
        }
    }
}
