package io.sluice.core.option;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Finds the name a user most likely meant, for "did you mean" hints.
 *
 * <p>A case-insensitive exact match wins (users type {@code startingoffsets}); otherwise the
 * candidate with the smallest edit distance, if that distance is small for the length of the
 * input, so that a hint is offered only when it is plausible; failing that, a candidate the
 * input starts with ({@code deltalake} for {@code delta}). Ties go to the alphabetically
 * first name, which keeps messages deterministic.
 */
public final class Suggestions {
    private Suggestions() {}

    public static Optional<String> closest(String input, Collection<String> candidates) {
        if (input == null || input.isEmpty()) {
            return Optional.empty();
        }
        String lowered = input.toLowerCase(Locale.ROOT);
        int threshold = Math.max(2, Math.min(4, input.length() / 3));
        LevenshteinDistance distance = new LevenshteinDistance(threshold);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates.stream().sorted().toList()) {
            String loweredCandidate = candidate.toLowerCase(Locale.ROOT);
            if (loweredCandidate.equals(lowered)) {
                return Optional.of(candidate);
            }
            int d = distance.apply(lowered, loweredCandidate);
            if (d >= 0 && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (best == null) {
            best = candidates.stream()
                    .sorted()
                    .filter(candidate ->
                            candidate.length() >= 3 && lowered.startsWith(candidate.toLowerCase(Locale.ROOT)))
                    .findFirst()
                    .orElse(null);
        }
        return Optional.ofNullable(best);
    }

    /** {@code " — did you mean 'x'?"}, or the empty string when nothing is close. */
    public static String didYouMean(String input, Collection<String> candidates) {
        return closest(input, candidates)
                .map(name -> " — did you mean '" + name + "'?")
                .orElse("");
    }
}
