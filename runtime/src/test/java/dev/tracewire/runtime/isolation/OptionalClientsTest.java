package dev.tracewire.runtime.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * kafka-clients, jnats and Jackson are optional dependencies of the runtime: a user who has only
 * one client library on the class path must be fine. Each scenario runs in a class loader built
 * from the test class path without the libraries that user lacks.
 */
class OptionalClientsTest {

    @Test
    void aKafkaOnlyUserNeedsNeitherJnatsNorJackson() throws Exception {
        try (URLClassLoader loader = classPathWithout("jnats", "jackson", "opentelemetry-sdk")) {
            assertThat(absent(loader, "io.nats.client.Connection")).isTrue();
            assertThat(run(loader, KafkaOnlyScenario.class)).isEqualTo("1 sent, handled [k=v]");
        }
    }

    @Test
    void aNatsOnlyUserNeedsNeitherKafkaClientsNorJackson() throws Exception {
        try (URLClassLoader loader = classPathWithout("kafka-clients", "jackson", "opentelemetry-sdk")) {
            assertThat(absent(loader, "org.apache.kafka.clients.producer.Producer")).isTrue();
            assertThat(run(loader, NatsOnlyScenario.class)).isEqualTo("handled [prices.btc=42], json false");
        }
    }

    @Test
    void withoutJacksonAPayloadTypeWithoutACodecIsRefusedSayingHowToRegisterOne() throws Exception {
        try (URLClassLoader loader = classPathWithout("jackson", "opentelemetry-sdk")) {
            assertThat(absent(loader, "com.fasterxml.jackson.databind.ObjectMapper")).isTrue();
            String[] outcome = run(loader, NoJacksonCodecScenario.class).split("\\|");
            assertThat(outcome[0]).as("the refusal")
                    .startsWith("No codec for payload type " + NoJacksonCodecScenario.Order.class.getName())
                    .contains("NatsOptions.builder().codec(Order.class, codec)")
                    .contains("com.fasterxml.jackson.core:jackson-databind");
            assertThat(outcome).as("registered and built-in codecs still work")
                    .containsExactly(outcome[0], "o-1", "text", "json false");
        }
    }

    private static String run(ClassLoader loader, Class<?> scenario) throws Exception {
        Class<?> isolated = Class.forName(scenario.getName(), true, loader);
        assertThat(isolated.getClassLoader()).isSameAs(loader);
        @SuppressWarnings("unchecked") // the scenarios are Callable<String>
        Callable<String> callable = (Callable<String>) isolated.getConstructor().newInstance();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return callable.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static boolean absent(ClassLoader loader, String className) {
        try {
            Class.forName(className, false, loader);
            return false;
        } catch (ClassNotFoundException e) {
            return true;
        }
    }

    /** The test class path (as Surefire reports it) without entries whose file name contains a word. */
    private static URLClassLoader classPathWithout(String... words) throws MalformedURLException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            boolean excluded = false;
            for (String word : words) {
                excluded |= name.contains(word);
            }
            if (!excluded) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }
}
