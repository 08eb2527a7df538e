package io.sluice.core;

/** Whether a connector reads (source) or writes (sink); used in messages and lookups. */
public enum ConnectorKind {
    SOURCE("source", "sources"),
    SINK("sink", "sinks");

    private final String singular;
    private final String plural;

    ConnectorKind(String singular, String plural) {
        this.singular = singular;
        this.plural = plural;
    }

    public String singular() {
        return singular;
    }

    public String plural() {
        return plural;
    }

    /** The subject of a message about one connector: {@code source 'kafka'}. */
    public String subject(String name) {
        return singular + " '" + name + "'";
    }
}
