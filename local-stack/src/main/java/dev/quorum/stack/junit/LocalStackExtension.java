package dev.quorum.stack.junit;

import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.PostgresServer;
import dev.quorum.stack.StackMode;
import dev.quorum.stack.junit.SharedStack.ClassDatabase;
import dev.quorum.stack.junit.SharedStack.Shared;
import dev.quorum.stack.kafka.EmbeddedKafka;
import dev.quorum.stack.postgres.EmbeddedPostgres;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.function.Supplier;

/**
 * Resolves parameters (constructor, lifecycle and test methods) to real servers:
 * <ul>
 *   <li>{@link KafkaBroker}: the broker shared by the module's whole test run;</li>
 *   <li>{@link PostgresDatabase}: a fresh database for the (top-level) test class, on the server
 *       shared by the whole run, dropped after the class;</li>
 *   <li>{@link EmbeddedKafka} / {@link EmbeddedPostgres}: a dedicated embedded server for a test
 *       that stops, restarts or kills it, closed when the method (or, in {@code @BeforeAll}, the
 *       class) is done; an {@code EmbeddedKafka} parameter annotated {@link SeparateJvm} runs in a child JVM.</li>
 * </ul>
 * Shared servers live in the root store, so JUnit closes them when the run ends. The flavour of the
 * shared servers follows the system property {@value StackMode#PROPERTY}; dedicated ones are always embedded.
 */
public final class LocalStackExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalStackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KafkaBroker.class || type == PostgresDatabase.class
                || type == EmbeddedKafka.class || type == EmbeddedPostgres.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        try {
            if (type == KafkaBroker.class) {
                return sharedKafka(context);
            }
            if (type == PostgresDatabase.class) {
                return classDatabase(context);
            }
            if (type == EmbeddedKafka.class) {
                boolean separateJvm = parameter.isAnnotated(SeparateJvm.class);
                return dedicated(context, "kafka:" + (separateJvm ? "separate-jvm" : "in-process") + ":" + parameter.getIndex(),
                        () -> EmbeddedKafka.builder().separateJvm(separateJvm).build().start());
            }
            return dedicated(context, "postgres:" + parameter.getIndex(), () -> EmbeddedPostgres.builder().build().start());
        } catch (RuntimeException e) {
            throw new ParameterResolutionException("could not provide a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static KafkaBroker sharedKafka(ExtensionContext context) {
        ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
        StackMode mode = mode(root);
        return (KafkaBroker) root.getOrComputeIfAbsent("shared-kafka", key -> SharedStack.kafka(mode), Shared.class).value();
    }

    private static PostgresServer sharedPostgres(ExtensionContext context) {
        ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
        StackMode mode = mode(root);
        return (PostgresServer) root.getOrComputeIfAbsent("shared-postgres", key -> SharedStack.postgres(mode), Shared.class).value();
    }

    private static StackMode mode(ExtensionContext.Store root) {
        return root.getOrComputeIfAbsent("mode", key -> SharedStack.effectiveMode(), StackMode.class);
    }

    private static PostgresDatabase classDatabase(ExtensionContext context) {
        ExtensionContext topLevelClass = topLevelClass(context);
        String name = topLevelClass.getRequiredTestClass().getSimpleName();
        return topLevelClass.getStore(NAMESPACE).getOrComputeIfAbsent("class-database", key -> {
            PostgresServer server = sharedPostgres(context);
            return new ClassDatabase(server.newDatabase(name), server);
        }, ClassDatabase.class).database();
    }

    /** The context of the outermost test class, so that {@code @Nested} classes share their enclosing class's database. */
    private static ExtensionContext topLevelClass(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getParent().isPresent() && current.getParent().get() != context.getRoot()) {
            current = current.getParent().get();
        }
        if (current.getTestClass().isEmpty()) {
            throw new IllegalStateException("a PostgresDatabase parameter needs a test class");
        }
        return current;
    }

    /** A server of the current context (method, or class in {@code @BeforeAll}), which JUnit closes with it. */
    private static Object dedicated(ExtensionContext context, String key, Supplier<AutoCloseable> start) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(key, k -> start.get());
    }
}
