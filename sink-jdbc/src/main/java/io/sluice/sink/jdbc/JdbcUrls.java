package io.sluice.sink.jdbc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JDBC URL may carry that must never be printed: a password in its parameters
 * ({@code ?password=...}, {@code ;password=...}) or in user information
 * ({@code //user:secret@host}). The sink refuses such a URL before start and prints URLs
 * masked, so that no message of the sink ever shows one.
 */
final class JdbcUrls {
    private static final Pattern PARAMETER = Pattern.compile("(?i)([?&;](?:password|pwd|sslpassword)=)([^&;]*)");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?;]+:)([^/@]*)(@)");

    private JdbcUrls() {}

    static boolean hasPassword(String url) {
        return PARAMETER.matcher(url).find() || USER_INFO.matcher(url).find();
    }

    /** The URL with any password replaced by {@code *****}. */
    static String masked(String url) {
        String masked = PARAMETER.matcher(url).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + "*****");
        return USER_INFO
                .matcher(masked)
                .replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + "*****" + Matcher.quoteReplacement(m.group(3)));
    }
}
