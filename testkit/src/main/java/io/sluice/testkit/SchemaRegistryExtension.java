package io.sluice.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a running {@link SchemaRegistry}: declare a parameter of that type in a class
 * annotated {@code @ExtendWith(SchemaRegistryExtension.class)}. One registry serves every test
 * class in the JVM (starting one costs seconds) and stops when the run ends; tests keep apart by
 * using their own subjects.
 */
public final class SchemaRegistryExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SchemaRegistryExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SchemaRegistry.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent("registry", key -> new Shared(SchemaRegistry.start()), Shared.class)
                .registry();
    }

    /** Stops the shared registry when JUnit closes the root store at the end of the run. */
    private record Shared(SchemaRegistry registry) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            registry.close();
        }
    }
}
