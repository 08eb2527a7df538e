package io.sluice.engine.graph;

import static java.util.Objects.requireNonNull;

import io.sluice.core.Place;
import io.sluice.core.StreamSink;
import io.sluice.core.StreamSource;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.engine.definition.Part;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.plan.Declarations;
import io.sluice.engine.plan.FanOut;
import io.sluice.engine.plan.PipelineDefinition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pipelines of a run as one graph: one pipeline feeds another when a place its sink writes
 * is a place the other's source reads — the same Delta table or directory, the same Kafka topic
 * on the same cluster — compared as the loop check compares places ({@link Place#overlaps}),
 * from what the connectors declare ({@link StreamSource#reads}, {@link StreamSink#writes}).
 *
 * <p>Why a graph: a silver pipeline reading the bronze table cannot be checked alone before
 * bronze has run (the table does not exist yet), and runs of a chain must start in order. The
 * graph gives the order ({@link #order()}), each pipeline's neighbours, and the problems no
 * single pipeline shows: a cycle (each would read its own output through the others, without
 * end) and two pipelines writing one place (their rows would mix, and neither's checkpoint
 * knows the other's writes). Pipelines whose connectors or options are wrong take no part;
 * validation reports those problems.
 */
public final class PipelineGraph {
    private final List<PipelineDefinition> pipelines;
    private final List<Edge> edges;
    private final List<Problem> problems;
    private final List<Ends> ends;

    /**
     * One pipeline feeding another.
     *
     * @param upstream the pipeline that writes the place
     * @param downstream the pipeline that reads it
     * @param place the place, as the upstream's sink names it
     * @param sink the upstream's sink that writes it: its name among several, or its connector
     */
    public record Edge(String upstream, String downstream, Place place, String sink) {
        public Edge {
            requireNonNull(upstream, "upstream is null");
            requireNonNull(downstream, "downstream is null");
            requireNonNull(place, "place is null");
            requireNonNull(sink, "sink is null");
        }
    }

    /** Where one pipeline reads and writes: what its connectors declare with its options. */
    private record Ends(String source, List<Place> reads, List<Written> writes) {}

    /** A place written, by which sink; {@code entry} the sink's place in a list of several (1 on), or empty. */
    private record Written(Place place, String sink, Optional<String> entry, boolean deadLetter) {}

    private PipelineGraph(
            List<PipelineDefinition> pipelines, List<Ends> ends, List<Edge> edges, List<Problem> problems) {
        this.pipelines = List.copyOf(pipelines);
        this.ends = List.copyOf(ends);
        this.edges = List.copyOf(edges);
        this.problems = List.copyOf(problems);
    }

    /** The graph of {@code pipelines}, in the order given (a file's order), their connectors found in {@code registry}. */
    public static PipelineGraph of(ConnectorRegistry registry, List<PipelineDefinition> pipelines) {
        requireNonNull(registry, "registry is null");
        requireNonNull(pipelines, "pipelines is null");
        List<Ends> ends = new ArrayList<>();
        for (PipelineDefinition definition : pipelines) {
            ends.add(ends(registry, definition));
        }
        List<Edge> edges = new ArrayList<>();
        for (int up = 0; up < pipelines.size(); up++) {
            for (int down = 0; down < pipelines.size(); down++) {
                if (up == down) {
                    continue; // a pipeline reading its own output is the loop check's
                }
                for (Written written : ends.get(up).writes()) {
                    if (written.deadLetter()) {
                        continue;
                    }
                    Optional<Place> read = ends.get(down).reads().stream()
                            .filter(written.place()::overlaps)
                            .findFirst();
                    if (read.isPresent()) {
                        edges.add(new Edge(
                                pipelines.get(up).name(), pipelines.get(down).name(), written.place(), written.sink()));
                        break;
                    }
                }
            }
        }
        List<Problem> problems = new ArrayList<>();
        problems.addAll(twoWriters(pipelines, ends));
        problems.addAll(cycles(pipelines, ends, edges));
        return new PipelineGraph(pipelines, ends, edges, problems);
    }

    private static Ends ends(ConnectorRegistry registry, PipelineDefinition definition) {
        Declarations declared = Declarations.check(registry, definition);
        List<Place> reads = new ArrayList<>();
        List<Written> writes = new ArrayList<>();
        if (declared.source().isPresent() && declared.sourceOptions().isPresent()) {
            StreamSource source = declared.source().get();
            ConnectorOptions options = declared.sourceOptions().get();
            reads.addAll(source.reads(options));
            source.writes(options)
                    .forEach(place -> writes.add(new Written(place, source.name(), Optional.empty(), true)));
        }
        if (declared.sink().isPresent() && declared.sinkOptions().isPresent()) {
            StreamSink sink = declared.sink().get();
            if (sink instanceof FanOut fanOut) {
                List<FanOut.Route> routes = fanOut.routes();
                for (FanOut.Route route : routes) {
                    String entry = String.valueOf(definition.sinks().indexOf(route.spec()) + 1);
                    route.sink()
                            .writes(route.options())
                            .forEach(place ->
                                    writes.add(new Written(place, route.spec().name(), Optional.of(entry), false)));
                }
            } else {
                sink.writes(declared.sinkOptions().get())
                        .forEach(place -> writes.add(new Written(place, sink.name(), Optional.empty(), false)));
            }
        }
        return new Ends(definition.sourceName(), List.copyOf(reads), List.copyOf(writes));
    }

    /** Each pipeline writing where one before it in the list writes, said once at its sink. */
    private static List<Problem> twoWriters(List<PipelineDefinition> pipelines, List<Ends> ends) {
        List<Problem> problems = new ArrayList<>();
        for (int later = 1; later < pipelines.size(); later++) {
            for (Written written : ends.get(later).writes()) {
                for (int earlier = 0; earlier < later; earlier++) {
                    Optional<Written> other = ends.get(earlier).writes().stream()
                            .filter(w -> w.place().overlaps(written.place()))
                            .findFirst();
                    if (other.isPresent()) {
                        String text = "it writes " + written.place() + ", where "
                                + pipelines.get(earlier).subject()
                                + " writes too: two pipelines writing one place mix their rows, and neither's"
                                + " checkpoint knows what the other wrote; give each a place of its own";
                        String subject = pipelines.get(later).subject();
                        Problem at = written.entry().isPresent()
                                ? new Problem(subject, "sink '" + written.sink() + "': " + text, Part.OPTIONS)
                                : new Problem(
                                        subject, text, written.deadLetter() ? Part.SOURCE : Part.SINK, Part.OPTIONS);
                        Problem problem = written.place().option().isEmpty()
                                ? at
                                : at.item(written.place().option());
                        problems.add(written.entry()
                                .map(entry -> problem.under(Part.SINKS, entry))
                                .orElse(problem));
                        break;
                    }
                }
            }
        }
        return problems;
    }

    /** Each cycle once, said at the source of its first pipeline in the list, with its path. */
    private static List<Problem> cycles(List<PipelineDefinition> pipelines, List<Ends> ends, List<Edge> edges) {
        List<Problem> problems = new ArrayList<>();
        Set<String> inACycle = new LinkedHashSet<>();
        for (PipelineDefinition start : pipelines) {
            if (inACycle.contains(start.name())) {
                continue;
            }
            Optional<List<Edge>> cycle = cycleThrough(start.name(), edges);
            if (cycle.isEmpty()) {
                continue;
            }
            StringBuilder path = new StringBuilder("'").append(start.name()).append("'");
            List<String> how = new ArrayList<>();
            for (Edge edge : cycle.get()) {
                path.append(" → '").append(edge.downstream()).append("'");
                how.add("'" + edge.upstream() + "' writes " + edge.place() + ", which '" + edge.downstream()
                        + "' reads");
                inACycle.add(edge.upstream());
            }
            problems.add(new Problem(
                    start.subject(),
                    "it is in a cycle of pipelines, " + path + " (" + String.join("; ", how) + "): each would read"
                            + " its own output through the others, without end; break the cycle",
                    Part.SOURCE,
                    Part.OPTIONS));
        }
        return problems;
    }

    /** The shortest path of edges from {@code start} back to it, if there is one. */
    private static Optional<List<Edge>> cycleThrough(String start, List<Edge> edges) {
        Map<String, Edge> reachedBy = new LinkedHashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String at = queue.poll();
            for (Edge edge : edges) {
                if (!edge.upstream().equals(at)) {
                    continue;
                }
                if (edge.downstream().equals(start)) {
                    List<Edge> path = new ArrayList<>(List.of(edge));
                    for (String back = at;
                            !back.equals(start);
                            back = reachedBy.get(back).upstream()) {
                        path.add(0, reachedBy.get(back));
                    }
                    return Optional.of(path);
                }
                if (!reachedBy.containsKey(edge.downstream())) {
                    reachedBy.put(edge.downstream(), edge);
                    queue.add(edge.downstream());
                }
            }
        }
        return Optional.empty();
    }

    /** Every problem of the graph: cycles and two pipelines writing one place; empty when it can run. */
    public List<Problem> problems() {
        return problems;
    }

    public List<Edge> edges() {
        return edges;
    }

    /** Whether any pipeline feeds another. */
    public boolean connected() {
        return !edges.isEmpty();
    }

    /** The edges into {@code pipeline}: what feeds it. */
    public List<Edge> into(String pipeline) {
        requireNonNull(pipeline, "pipeline is null");
        return edges.stream().filter(edge -> edge.downstream().equals(pipeline)).toList();
    }

    /** The pipelines that feed {@code pipeline}, in the list's order. */
    public List<String> upstream(String pipeline) {
        return into(pipeline).stream().map(Edge::upstream).distinct().toList();
    }

    /** The pipelines {@code pipeline} feeds, in the list's order. */
    public List<String> downstream(String pipeline) {
        requireNonNull(pipeline, "pipeline is null");
        return edges.stream()
                .filter(edge -> edge.upstream().equals(pipeline))
                .map(Edge::downstream)
                .distinct()
                .toList();
    }

    /** Whether {@code pipeline} feeds itself through others: a cycle, refused. */
    public boolean inCycle(String pipeline) {
        return dependents(pipeline).contains(pipeline);
    }

    /** {@code pipeline}'s neighbours in this graph, as {@code /status} and the metrics say them. */
    public io.sluice.engine.pipeline.Pipeline.Neighbours neighbours(String pipeline) {
        return new io.sluice.engine.pipeline.Pipeline.Neighbours(upstream(pipeline), downstream(pipeline));
    }

    /**
     * Every pipeline that reads, directly or through others, what {@code pipeline} writes, in
     * the order they are reached; {@code pipeline} itself among them when it is in a cycle.
     */
    public List<String> dependents(String pipeline) {
        Set<String> found = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>(List.of(pipeline));
        while (!queue.isEmpty()) {
            for (String next : downstream(queue.poll())) {
                if (found.add(next)) {
                    queue.add(next);
                }
            }
        }
        return List.copyOf(found);
    }

    /**
     * The pipelines in an order where each comes after what feeds it, otherwise in the list's
     * order; pipelines in a cycle (refused) last, in the list's order.
     */
    public List<String> order() {
        return positions().stream().map(i -> pipelines.get(i).name()).toList();
    }

    /** {@link #order()} as positions in the list given: each position once, whatever the names. */
    public List<Integer> positions() {
        List<Integer> order = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = 0; i < pipelines.size(); i++) {
                String name = pipelines.get(i).name();
                if (!order.contains(i) && done.containsAll(upstream(name))) {
                    order.add(i);
                    done.add(name);
                    progress = true;
                    break; // the first ready in the list's order, then look again from the start
                }
            }
        }
        for (int i = 0; i < pipelines.size(); i++) {
            if (!order.contains(i)) {
                order.add(i);
            }
        }
        return List.copyOf(order);
    }

    /**
     * The graph in words, one line per pipeline in {@link #order()}: what it reads, from which
     * pipeline, and what reads what it writes — {@code sluice explain}'s graph.
     */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (String name : order()) {
            text.append("  ").append(name);
            List<String> from = upstream(name);
            List<String> to = downstream(name);
            if (from.isEmpty()) {
                text.append(" (reads ").append(ends(name).source()).append(')');
            } else {
                text.append(" (after ").append(quoted(from)).append(')');
            }
            if (!to.isEmpty()) {
                text.append(" → ").append(quoted(to));
            }
            text.append('\n');
        }
        return text.toString();
    }

    /**
     * The graph as a Mermaid flowchart: pipelines as boxes, the places they read and write as
     * cylinders, an arrow per read and write — for a docs page.
     */
    public String mermaid() {
        StringBuilder text = new StringBuilder("flowchart LR\n");
        Map<Place, String> ids = places();
        ids.forEach((place, id) ->
                text.append("  ").append(id).append("[(\"").append(label(place)).append("\")]\n"));
        for (int i = 0; i < pipelines.size(); i++) {
            String name = pipelines.get(i).name();
            text.append("  p").append(i).append("[\"").append(name).append("\"]\n");
        }
        for (int i = 0; i < pipelines.size(); i++) {
            for (Place read : ends.get(i).reads()) {
                text.append("  ")
                        .append(ids.get(read))
                        .append(" --> p")
                        .append(i)
                        .append('\n');
            }
            for (Written written : ends.get(i).writes()) {
                if (!written.deadLetter()) {
                    text.append("  p")
                            .append(i)
                            .append(" --> ")
                            .append(ids.get(written.place()))
                            .append('\n');
                }
            }
        }
        return text.toString();
    }

    /** The graph in Graphviz's DOT: the same nodes and arrows as {@link #mermaid()}. */
    public String dot() {
        StringBuilder text = new StringBuilder("digraph pipelines {\n  rankdir=LR;\n");
        Map<Place, String> ids = places();
        ids.forEach((place, id) -> text.append("  ")
                .append(id)
                .append(" [shape=cylinder, label=\"")
                .append(label(place))
                .append("\"];\n"));
        for (int i = 0; i < pipelines.size(); i++) {
            text.append("  p")
                    .append(i)
                    .append(" [shape=box, label=\"")
                    .append(pipelines.get(i).name())
                    .append("\"];\n");
        }
        for (int i = 0; i < pipelines.size(); i++) {
            for (Place read : ends.get(i).reads()) {
                text.append("  ")
                        .append(ids.get(read))
                        .append(" -> p")
                        .append(i)
                        .append(";\n");
            }
            for (Written written : ends.get(i).writes()) {
                if (!written.deadLetter()) {
                    text.append("  p")
                            .append(i)
                            .append(" -> ")
                            .append(ids.get(written.place()))
                            .append(";\n");
                }
            }
        }
        return text.append("}\n").toString();
    }

    /** Each place read or written, once: a place written and read by another is one node. */
    private Map<Place, String> places() {
        Map<Place, String> ids = new LinkedHashMap<>();
        for (Ends end : ends) {
            for (Written written : end.writes()) {
                if (!written.deadLetter()) {
                    ids.putIfAbsent(written.place(), "d" + ids.size());
                }
            }
        }
        for (Ends end : ends) {
            for (Place read : end.reads()) {
                Optional<Place> same =
                        ids.keySet().stream().filter(read::overlaps).findFirst();
                if (same.isPresent()) {
                    ids.putIfAbsent(read, ids.get(same.get()));
                } else {
                    ids.putIfAbsent(read, "d" + ids.size());
                }
            }
        }
        return ids;
    }

    /** {@code kafka topic orders}, {@code /lake/bronze}: what a reader of the docs recognises. */
    private static String label(Place place) {
        String name = place.name().replace("\"", "'");
        return place.system().equals(Place.DIRECTORY) ? name : place.system() + " " + name;
    }

    private Ends ends(String name) {
        return ends.get(position(name));
    }

    /** Where pipeline {@code name} is in the list the graph was made of. */
    public int position(String name) {
        requireNonNull(name, "name is null");
        for (int i = 0; i < pipelines.size(); i++) {
            if (pipelines.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no pipeline '" + name + "' in the graph");
    }

    private static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(n -> "'" + n + "'").toList());
    }
}
