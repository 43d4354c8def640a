package dev.tracewire.sample.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.ServerSocketFactory;
import org.apache.kafka.server.common.MetadataVersion;

import kafka.server.BrokerServer;
import kafka.server.ControllerServer;

/**
 * An in-process KRaft Kafka cluster for the sample and its end-to-end tests, listening on
 * {@code 127.0.0.1} only: one node acting as broker and controller ({@link #start()}), or, for
 * fault tests, several brokers and a separate controller ({@link #startCluster(int)}) whose
 * brokers can be stopped and started again.
 *
 * <p>Built on {@link KafkaClusterTestKit} from {@code kafka-test-common-runtime}. Two things that
 * kit does not do by itself are handled here:
 * <ul>
 *   <li>It pre-binds one server socket per node and listener on the <em>wildcard</em> address
 *       ({@code new InetSocketAddress(0)}) while it is built, whatever host the {@code listeners}
 *       config names, and the servers then adopt those sockets. We take those sockets back before
 *       startup and close them; the kit then binds a fresh socket on the same port and on the
 *       host the {@code listeners} config names, which we set to {@code 127.0.0.1}.</li>
 *   <li>{@link KafkaClusterTestKit#close()} is not idempotent; {@link #close()} here is.</li>
 * </ul>
 *
 * <p>All data lives in a temporary folder that {@link #close()} deletes.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** The only address the broker and controller listen on and advertise. */
    public static final String HOST = "127.0.0.1";

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClusterTestKit cluster;
    private final Path baseDirectory;
    private final String bootstrapServers;
    private final int controllerPort;
    private final Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(KafkaClusterTestKit cluster, Path baseDirectory, String bootstrapServers,
                          int controllerPort, Duration startupTime) {
        this.cluster = cluster;
        this.baseDirectory = baseDirectory;
        this.bootstrapServers = bootstrapServers;
        this.controllerPort = controllerPort;
        this.startupTime = startupTime;
    }

    /**
     * Starts a combined broker+controller node and waits until the broker is ready.
     *
     * @throws IllegalStateException if the cluster cannot be started (the partial cluster and its
     *                               folder are cleaned up first)
     */
    public static EmbeddedKafka start() {
        return start(true, 1);
    }

    /**
     * Starts {@code brokers} brokers and one separate KRaft controller, for fault tests: a broker
     * can be {@linkplain #stopBroker stopped} and {@linkplain #restartBroker restarted} while the
     * others serve. Internal topics are replicated to up to three brokers.
     *
     * @throws IllegalStateException if the cluster cannot be started (the partial cluster and its
     *                               folder are cleaned up first)
     */
    public static EmbeddedKafka startCluster(int brokers) {
        if (brokers < 1) {
            throw new IllegalArgumentException("a cluster needs at least one broker, not " + brokers);
        }
        return start(false, brokers);
    }

    private static EmbeddedKafka start(boolean combined, int brokers) {
        long startNanos = System.nanoTime();
        Path baseDirectory;
        try {
            baseDirectory = TempDirs.create("tracewire-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for Kafka", e);
        }
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes.Builder nodesBuilder = new TestKitNodes.Builder()
                    .setCombined(combined)
                    .setNumBrokerNodes(brokers)
                    .setNumControllerNodes(1)
                    // The kit defaults to the newest *testing* metadata version with unstable
                    // features and APIs on; run what a production broker of this release runs.
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .setBaseDirectory(baseDirectory);
            TestKitNodes nodes = nodesBuilder.setPerServerProperties(loopbackListeners(nodesBuilder.build())).build();
            String brokerListener = nodes.brokerListenerName().value();
            String controllerListener = nodes.controllerListenerName().value();
            String replicas = Integer.toString(Math.min(brokers, 3));
            String minInSync = Integer.toString(Math.min(brokers, 2));
            cluster = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", replicas)
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", replicas)
                    .setConfigProp("transaction.state.log.min.isr", minInSync)
                    .setConfigProp("transaction.state.log.num.partitions", "1")
                    .setConfigProp("share.coordinator.state.topic.replication.factor", replicas)
                    .setConfigProp("share.coordinator.state.topic.min.isr", minInSync)
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    // Registration, unfencing and controlled shutdown each wait for heartbeats
                    // (every 2 s by default): a broker restart takes seconds less with these.
                    .setConfigProp("broker.heartbeat.interval.ms", "200")
                    .setConfigProp("broker.session.timeout.ms", "3000")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("unstable.api.versions.enable", "false")
                    .setConfigProp("unstable.feature.versions.enable", "false")
                    .setDeleteOnClose(true)
                    .build();
            releaseWildcardSockets(cluster, List.of(brokerListener, controllerListener));
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();

            String bootstrapServers = new TreeMap<>(cluster.brokers()).values().stream()
                    .map(broker -> HOST + ":" + broker.boundPort(nodes.brokerListenerName()))
                    .collect(Collectors.joining(","));
            ControllerServer controller = cluster.controllers().values().iterator().next();
            int controllerPort = controller.socketServer().boundPort(nodes.controllerListenerName());
            Duration startupTime = Duration.ofNanos(System.nanoTime() - startNanos);
            return new EmbeddedKafka(cluster, baseDirectory, bootstrapServers, controllerPort, startupTime);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            IllegalStateException failure = new IllegalStateException("cannot start the embedded Kafka broker", e);
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception closeFailure) {
                    failure.addSuppressed(closeFailure);
                }
            }
            TempDirs.deleteQuietly(baseDirectory, failure);
            throw failure;
        }
    }

    /**
     * Each node's {@code listeners}, on {@link #HOST}: the kit would name {@code localhost}. A node
     * lists only the listeners of its roles (a broker-only node must not list the controller's).
     */
    private static Map<Integer, Map<String, String>> loopbackListeners(TestKitNodes nodes) {
        Map<Integer, Map<String, String>> properties = new TreeMap<>();
        Set<Integer> ids = new TreeSet<>(nodes.brokerNodes().keySet());
        ids.addAll(nodes.controllerNodes().keySet());
        for (int id : ids) {
            List<String> listeners = new ArrayList<>();
            if (nodes.brokerNodes().containsKey(id)) {
                listeners.add(nodes.brokerListenerName().value() + "://" + HOST + ":0");
            }
            if (nodes.controllerNodes().containsKey(id)) {
                listeners.add(nodes.controllerListenerName().value() + "://" + HOST + ":0");
            }
            properties.put(id, Map.of("listeners", String.join(",", listeners)));
        }
        return properties;
    }

    /**
     * The kit binds its pre-allocated ports on the wildcard address and hands those very sockets
     * to the servers. Taking each one out (the factory marks it used) and closing it makes the
     * kit open a new socket on the same port and on the listener's configured host instead.
     */
    private static void releaseWildcardSockets(KafkaClusterTestKit cluster, List<String> listenerNames)
            throws IOException {
        Map<Integer, ServerSocketFactory> factories = new HashMap<>();
        cluster.controllers().forEach((id, c) -> factories.put(id, c.sharedServer().socketFactory()));
        cluster.brokers().forEach((id, b) -> factories.put(id, b.sharedServer().socketFactory()));
        for (ServerSocketFactory factory : factories.values()) {
            for (String listener : listenerNames) {
                // Returns the pre-bound socket if there is one; otherwise binds a throwaway
                // loopback socket on an ephemeral port, which we close just as well.
                ServerSocketChannel channel = factory.openServerSocket(
                        listener, new InetSocketAddress(HOST, 0), -1, -1);
                channel.close();
            }
        }
    }

    /** {@code 127.0.0.1:<port>} of each broker's listener, comma-separated. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The port of the KRaft controller listener (also on {@code 127.0.0.1}). */
    public int controllerPort() {
        return controllerPort;
    }

    /** How long {@link #start()} took, from the first call into the kit to a ready broker. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The underlying kit, for tests that need more (stopping a broker, the controller...). */
    public KafkaClusterTestKit cluster() {
        return cluster;
    }

    /** A new {@link Admin} on this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** The ids of the brokers, in ascending order. */
    public List<Integer> brokerIds() {
        return List.copyOf(new TreeSet<>(cluster.brokers().keySet()));
    }

    /**
     * Shuts one broker down (a controlled shutdown: its partitions' leadership moves to the other
     * replicas first) and waits until it has stopped. Its data stays for {@link #restartBroker}.
     */
    public void stopBroker(int id) {
        ensureOpen();
        BrokerServer broker = broker(id);
        broker.shutdown();
        broker.awaitShutdown();
    }

    /**
     * Starts a stopped broker again, on its former port and with its data; returns once the
     * controller has unfenced it (the broker's own start-up waits for that).
     */
    public void restartBroker(int id) {
        ensureOpen();
        broker(id).startup();
    }

    private BrokerServer broker(int id) {
        BrokerServer broker = cluster.brokers().get(id);
        if (broker == null) {
            throw new IllegalArgumentException("no broker " + id + "; the brokers are " + brokerIds());
        }
        return broker;
    }

    /**
     * Creates a topic (replication factor 1) and waits until the broker knows its partitions.
     * Creating a topic that already exists with the same partition count is not an error.
     */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, 1, Map.of());
    }

    /**
     * Creates a topic with the given replication factor and topic configs (such as
     * {@code min.insync.replicas}) and waits until the brokers know its partitions. Creating a
     * topic that already exists with the same partition count is not an error.
     */
    public void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        ensureOpen();
        try (Admin admin = admin()) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) replicationFactor).configs(configs)))
                        .all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            awaitTopic(admin, name, partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
    }

    private static void awaitTopic(Admin admin, String name, int partitions)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                int found = admin.describeTopics(List.of(name)).allTopicNames()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .get(name).partitions().size();
                if (found == partitions) {
                    return;
                }
                if (found > partitions) {
                    throw new IllegalStateException(
                            "topic " + name + " already exists with " + found + " partitions, not " + partitions);
                }
            } catch (ExecutionException e) {
                last = e; // not yet propagated to the broker's metadata: retry
            }
            Thread.sleep(20);
        }
        TimeoutException timeout = new TimeoutException("topic " + name + " did not become visible in " + ADMIN_TIMEOUT);
        if (last != null) {
            timeout.initCause(last);
        }
        throw timeout;
    }

    /** {@link Brokers#producerConfig(String)} for this broker. */
    public Map<String, Object> producerConfig() {
        return Brokers.producerConfig(bootstrapServers);
    }

    /** {@link Brokers#consumerConfig(String, String)} for this broker. */
    public Map<String, Object> consumerConfig(String groupId) {
        return Brokers.consumerConfig(bootstrapServers, groupId);
    }

    /** The folder holding the node's metadata and logs; gone after {@link #close()}. */
    public Path baseDirectory() {
        return baseDirectory;
    }

    public boolean isClosed() {
        return closed.get();
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the embedded Kafka broker is closed");
        }
    }

    /** Stops the node and deletes its folder. Safe to call more than once, and from several threads. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        IllegalStateException failure = null;
        try {
            cluster.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            failure = new IllegalStateException("failure while stopping the embedded Kafka broker", e);
        }
        failure = TempDirs.deleteQuietly(baseDirectory, failure);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers + (closed.get() ? ", closed]" : "]");
    }
}
