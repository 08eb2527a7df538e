package io.sluice.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a running {@link EmbeddedKafka}: declare a parameter of that type in a test,
 * constructor or {@code @BeforeAll} method of a class annotated
 * {@code @ExtendWith(EmbeddedKafkaExtension.class)}.
 *
 * <p>One broker serves every test class in the JVM — starting one costs seconds, topics cost
 * milliseconds — and is stopped, with its data deleted, when the test run ends. Tests keep
 * out of each other's way by using their own topics.
 */
public final class EmbeddedKafkaExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedKafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent("broker", key -> new SharedBroker(EmbeddedKafka.start()), SharedBroker.class)
                .kafka();
    }

    /** Closes the shared broker when JUnit closes the root store at the end of the run. */
    private record SharedBroker(EmbeddedKafka kafka)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            kafka.close();
        }
    }
}
