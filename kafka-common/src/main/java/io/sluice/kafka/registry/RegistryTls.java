package io.sluice.kafka.registry;

import io.sluice.core.option.ConnectorOptions;
import io.sluice.core.option.OptionRule;
import io.sluice.core.option.OptionRules;
import io.sluice.core.option.OptionSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS to the schema registry in Confluent's spelling ({@code schema.registry.ssl.truststore.location}
 * and the rest) under {@code schemaRegistry.}: a trust store for a registry whose certificate the
 * JVM does not trust (a private CA), a key store when the registry asks for the client's
 * certificate (mutual TLS). Passwords are secret. A store that cannot be read is a problem
 * before start that names the option and the reason, never the password.
 */
public final class RegistryTls {
    private RegistryTls() {}

    public static final OptionSpec<String> TRUSTSTORE_LOCATION = OptionSpec.stringOption(
                    "schemaRegistry.ssl.truststore.location")
            .description("A trust store with the certificate (or CA) of an https registry the JVM does not trust")
            .build();
    public static final OptionSpec<String> TRUSTSTORE_PASSWORD = OptionSpec.stringOption(
                    "schemaRegistry.ssl.truststore.password")
            .secret()
            .description("The trust store's password")
            .build();
    public static final OptionSpec<String> TRUSTSTORE_TYPE = OptionSpec.oneOfOption(
                    "schemaRegistry.ssl.truststore.type", "PKCS12", "JKS")
            .defaultValue("PKCS12")
            .description("The trust store's format")
            .build();
    public static final OptionSpec<String> KEYSTORE_LOCATION = OptionSpec.stringOption(
                    "schemaRegistry.ssl.keystore.location")
            .description("A key store with the client's certificate and key, for a registry that asks for them"
                    + " (mutual TLS)")
            .build();
    public static final OptionSpec<String> KEYSTORE_PASSWORD = OptionSpec.stringOption(
                    "schemaRegistry.ssl.keystore.password")
            .secret()
            .description("The key store's password")
            .build();
    public static final OptionSpec<String> KEYSTORE_TYPE = OptionSpec.oneOfOption(
                    "schemaRegistry.ssl.keystore.type", "PKCS12", "JKS")
            .defaultValue("PKCS12")
            .description("The key store's format")
            .build();
    public static final OptionSpec<String> KEY_PASSWORD = OptionSpec.stringOption("schemaRegistry.ssl.key.password")
            .secret()
            .description("The key's password, when it differs from the key store's")
            .build();

    static final List<OptionSpec<?>> ALL = List.of(
            TRUSTSTORE_LOCATION,
            TRUSTSTORE_PASSWORD,
            TRUSTSTORE_TYPE,
            KEYSTORE_LOCATION,
            KEYSTORE_PASSWORD,
            KEYSTORE_TYPE,
            KEY_PASSWORD);

    /** Passwords and types only with their store; TLS options only for an https registry. */
    static List<OptionRule> rules() {
        return List.of(
                OptionRules.requires(TRUSTSTORE_PASSWORD, TRUSTSTORE_LOCATION, "the password of that store"),
                OptionRules.requires(TRUSTSTORE_TYPE, TRUSTSTORE_LOCATION, "the format of that store"),
                OptionRules.requires(KEYSTORE_PASSWORD, KEYSTORE_LOCATION, "the password of that store"),
                OptionRules.requires(KEYSTORE_TYPE, KEYSTORE_LOCATION, "the format of that store"),
                OptionRules.requires(KEY_PASSWORD, KEYSTORE_LOCATION, "the key in that store"),
                options -> {
                    boolean tls = ALL.stream().anyMatch(options::isSet);
                    Optional<String> url = options.find(RegistrySettings.URL);
                    return tls && url.isPresent() && !url.get().strip().startsWith("https:")
                            ? List.of("options 'schemaRegistry.ssl.*' are for an https registry, and '"
                                    + RegistrySettings.URL.name() + "' is not one ("
                                    + SchemaRegistryClient.redact(url.get())
                                    + "): write the registry's https URL")
                            : List.of();
                });
    }

    /** The TLS context the options describe; empty when they set none (the JVM's defaults). */
    static Optional<SSLContext> context(ConnectorOptions options) {
        if (!options.isSet(TRUSTSTORE_LOCATION) && !options.isSet(KEYSTORE_LOCATION)) {
            return Optional.empty();
        }
        try {
            TrustManagerFactory trust = null;
            if (options.isSet(TRUSTSTORE_LOCATION)) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(options, TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE));
            }
            KeyManagerFactory keys = null;
            if (options.isSet(KEYSTORE_LOCATION)) {
                KeyStore store = load(options, KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEYSTORE_TYPE);
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String keyPassword = options.find(KEY_PASSWORD)
                        .or(() -> options.find(KEYSTORE_PASSWORD))
                        .orElse("");
                try {
                    keys.init(store, keyPassword.toCharArray());
                } catch (GeneralSecurityException e) {
                    throw new IllegalArgumentException(
                            "option '" + KEYSTORE_LOCATION.name() + "' = '"
                                    + options.get(KEYSTORE_LOCATION) + "': its key cannot be read (" + e.getMessage()
                                    + "): check " + KEY_PASSWORD.name(),
                            e);
                }
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return Optional.of(context);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS to the schema registry: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(
            ConnectorOptions options,
            OptionSpec<String> location,
            OptionSpec<String> password,
            OptionSpec<String> type) {
        Path path = Path.of(options.get(location));
        String what = "option '" + location.name() + "' = '" + path + "'";
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(what + ": no such file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(options.get(type));
            store.load(in, options.find(password).map(String::toCharArray).orElse(null));
            return store;
        } catch (IOException e) {
            // a wrong password shows as an IOException whose cause is UnrecoverableKeyException
            throw new IllegalArgumentException(
                    what + ": cannot read it as a " + options.get(type) + " store ("
                            + (e.getCause() instanceof java.security.UnrecoverableKeyException
                                    ? "wrong password: check " + password.name()
                                    : e.getMessage())
                            + ")",
                    e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }
}
