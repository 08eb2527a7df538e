package io.sluice.core;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The output modes a sink can write, with why the others are missing: one value, so that the
 * check before start, the catalogue and the generated docs say the same thing.
 *
 * <p>A sink that can write every mode (the default) need not declare anything; one that
 * cannot says why in words a user can act on ({@code files are only ever added; ...}), which
 * ends the message a pipeline with another mode gets.
 *
 * @param supported never empty
 * @param hint why a mode is missing and what to do; empty when every mode is supported
 */
public record OutputModes(Set<OutputMode> supported, String hint) {

    public OutputModes {
        requireNonNull(supported, "supported is null");
        requireNonNull(hint, "hint is null");
        if (supported.isEmpty()) {
            throw new IllegalArgumentException("a sink must support at least one output mode");
        }
        supported = Set.copyOf(EnumSet.copyOf(supported));
    }

    /** Every mode: what a sink that writes whatever the query gives it declares. */
    public static OutputModes all() {
        return new OutputModes(EnumSet.allOf(OutputMode.class), "");
    }

    /** Only these modes; {@code hint} says why the others are missing and what to do instead. */
    public static OutputModes only(String hint, OutputMode... modes) {
        requireNonNull(modes, "modes is null");
        return new OutputModes(EnumSet.copyOf(Arrays.asList(modes)), hint);
    }

    public boolean supports(OutputMode mode) {
        return supported.contains(requireNonNull(mode, "mode is null"));
    }

    /** The supported modes as the docs and messages list them: {@code APPEND, UPDATE}. */
    public String listed() {
        return supported.stream().map(Enum::name).sorted().collect(Collectors.joining(", "));
    }

    /** Why {@code mode} cannot be written, or empty when it can. */
    public Optional<String> refusal(OutputMode mode) {
        if (supports(mode)) {
            return Optional.empty();
        }
        return Optional.of("output mode " + mode + " is not supported (supported: " + listed() + ")"
                + (hint.isEmpty() ? "" : ": " + hint));
    }
}
