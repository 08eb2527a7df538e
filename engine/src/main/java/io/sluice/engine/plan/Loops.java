package io.sluice.engine.plan;

import io.sluice.core.ConnectorKind;
import io.sluice.core.Place;
import io.sluice.core.StreamSink;
import io.sluice.core.StreamSource;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.engine.definition.Part;
import io.sluice.engine.definition.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule that a pipeline never writes where it reads: each record it wrote would be read
 * again and written again, without end (ten records became 370 in 40 seconds when a Kafka
 * sink wrote back into its source's topic). Asked of every pipeline, whatever its connectors,
 * from what they declare ({@link StreamSource#reads}, {@link StreamSink#writes}).
 */
public final class Loops {
    private Loops() {}

    public static List<Problem> find(
            StreamSource source, ConnectorOptions sourceOptions, StreamSink sink, ConnectorOptions sinkOptions) {
        List<Problem> problems = new ArrayList<>();
        List<Place> read = source.reads(sourceOptions);
        for (Place written : sink.writes(sinkOptions)) {
            read.stream()
                    .filter(written::overlaps)
                    .findFirst()
                    .ifPresent(place -> problems.add(new Problem(
                            ConnectorKind.SINK.subject(sink.name()),
                            "it writes " + written + ", which " + ConnectorKind.SOURCE.subject(source.name())
                                    + " reads" + (place.equals(written) ? "" : " (" + place + ")")
                                    + ": every record written would be read"
                                    + " again and written again, without end; write somewhere the source does not read",
                            Part.SINK,
                            Part.OPTIONS)));
        }
        for (Place written : sink.writes(sinkOptions)) {
            source.writes(sourceOptions).stream()
                    .filter(written::overlaps)
                    .findFirst()
                    .ifPresent(place -> problems.add(new Problem(
                            ConnectorKind.SINK.subject(sink.name()),
                            "it writes " + written + optionOf(written) + ", where "
                                    + ConnectorKind.SOURCE.subject(source.name()) + " writes too ("
                                    + (place.option().isEmpty()
                                            ? place.toString()
                                            : place + ", option '" + place.option() + "'")
                                    + "): the two outputs would mix, and readers of each would find the other's files;"
                                    + " give them places apart",
                            Part.SINK,
                            Part.OPTIONS)));
        }
        return problems;
    }

    /** {@code  (option 'path')}, or nothing when the connector did not say which option names the place. */
    private static String optionOf(Place place) {
        return place.option().isEmpty() ? "" : " (option '" + place.option() + "')";
    }
}
