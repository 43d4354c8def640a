package dev.tracewire.runtime.internal;

import dev.tracewire.runtime.AgentInstrumentation;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Whether OpenTelemetry's Java agent instruments a client library in this JVM. Asked once per
 * client when it is built, never per message.
 */
public final class JavaAgent {

    /** A class the agent puts on the bootstrap class path, where the application sees it. */
    private static final String AGENT_CLASS = "io.opentelemetry.javaagent.bootstrap.AgentInitializer";
    private static final String PREFIX = "otel.instrumentation.";

    private JavaAgent() {
    }

    /**
     * Whether the agent instruments the library whose instrumentation has {@code names} (the
     * agent's own names for it, in the agent's order), as {@code setting} says or, for
     * {@link AgentInstrumentation#DETECT}, as this JVM's agent is set up.
     */
    public static boolean instruments(AgentInstrumentation setting, List<String> names) {
        return switch (setting) {
            case PRESENT -> true;
            case ABSENT -> false;
            case DETECT -> running() && enabled(names, System::getProperty, System::getenv);
        };
    }

    /** Whether the agent runs in this JVM. */
    static boolean running() {
        try {
            Class.forName(AGENT_CLASS, false, null);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Whether the instrumentation with {@code names} is enabled, decided as the agent decides it:
     * the first of its names that is configured wins; none configured, the common default.
     */
    static boolean enabled(List<String> names, UnaryOperator<String> properties, UnaryOperator<String> environment) {
        for (String name : names) {
            String enabled = setting(PREFIX + name + ".enabled", properties, environment);
            if (enabled != null) {
                return Boolean.parseBoolean(enabled.trim());
            }
        }
        String byDefault = setting(PREFIX + "common.default-enabled", properties, environment);
        return byDefault == null || Boolean.parseBoolean(byDefault.trim());
    }

    /** A setting as the agent reads it: the system property, else its environment variable. */
    private static String setting(String property, UnaryOperator<String> properties,
            UnaryOperator<String> environment) {
        String value = properties.apply(property);
        if (value != null) {
            return value;
        }
        return environment.apply(property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }
}
