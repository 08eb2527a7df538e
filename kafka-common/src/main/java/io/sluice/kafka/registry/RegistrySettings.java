package io.sluice.kafka.registry;

import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionRule;
import io.sluice.core.option.OptionSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The schema registry options the Kafka source and sink share, in the spelling of Confluent's
 * client settings ({@code basic.auth.user.info}, {@code bearer.auth.token}) under
 * {@code schemaRegistry.}: declared once, credentials secret.
 */
public final class RegistrySettings {
    private RegistrySettings() {}

    /** How long one request to the registry may take. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    public static final OptionSpec<String> URL = OptionSpec.stringOption("schemaRegistry.url")
            .check(RegistrySettings::checkUrls)
            .description("Base URL of a schema registry with Confluent's API (Confluent, Apicurio's /apis/ccompat/v7,"
                    + " Karapace, Redpanda); several comma-separated are tried in turn")
            .build();
    public static final OptionSpec<String> BASIC_AUTH_USER_INFO = OptionSpec.stringOption(
                    "schemaRegistry.basic.auth.user.info")
            .secret()
            .check(info -> info.contains(":") ? Optional.empty() : Optional.of("must be user:password"))
            .description("user:password for the registry's HTTP basic authentication")
            .build();
    public static final OptionSpec<String> BEARER_AUTH_TOKEN = OptionSpec.stringOption(
                    "schemaRegistry.bearer.auth.token")
            .secret()
            .description("A token the registry takes as Authorization: Bearer")
            .build();

    /** Every registry option, TLS's included. */
    public static final List<OptionSpec<?>> ALL = all();

    private static List<OptionSpec<?>> all() {
        List<OptionSpec<?>> all = new java.util.ArrayList<>(List.of(URL, BASIC_AUTH_USER_INFO, BEARER_AUTH_TOKEN));
        all.addAll(RegistryTls.ALL);
        return List.copyOf(all);
    }

    /** What the registry options need of each other: no credentials in the URL, TLS options with their stores. */
    public static List<OptionRule> rules() {
        List<OptionRule> rules = new java.util.ArrayList<>(List.of(NO_CREDENTIALS_IN_URL));
        rules.addAll(RegistryTls.rules());
        return List.copyOf(rules);
    }

    /**
     * No credentials in the URL: it is not a secret (explain shows it), so a password written into
     * it would be shown with it. The message names the option, never its value.
     */
    public static final OptionRule NO_CREDENTIALS_IN_URL = options -> options.find(URL)
                    .filter(urls -> {
                        try {
                            return SchemaRegistryClient.parseUrls(urls).stream()
                                    .anyMatch(uri -> uri.getRawUserInfo() != null);
                        } catch (IllegalArgumentException e) {
                            return false; // the option's own check says what is wrong
                        }
                    })
                    .isPresent()
            ? List.of("option '" + URL.name() + "' has a user and password in it: put them in option '"
                    + BASIC_AUTH_USER_INFO.name() + "' (a secret, never shown) and leave the URL without them")
            : List.of();

    /** A client for the registry the options name; {@code schemaRegistry.url} must be set. */
    public static SchemaRegistryClient client(ConnectorOptions options) {
        return new SchemaRegistryClient(
                options.get(URL),
                options.find(BASIC_AUTH_USER_INFO),
                options.find(BEARER_AUTH_TOKEN),
                RegistryTls.context(options),
                TIMEOUT);
    }

    private static Optional<String> checkUrls(String urls) {
        try {
            SchemaRegistryClient.parseUrls(urls);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }
}
