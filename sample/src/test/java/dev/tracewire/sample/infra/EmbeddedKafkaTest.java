package dev.tracewire.sample.infra;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.tracewire.sample.support.SharedKafka;

@ExtendWith(SharedKafka.Extension.class)
class EmbeddedKafkaTest {

    @Test
    void producesAndConsumesARecordWithKeyValueAndHeaders(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic("embedded-kafka-roundtrip", 3);

        Map<String, Object> producerConfig = kafka.producerConfig();
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        RecordMetadata sent;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            ProducerRecord<String, String> record = new ProducerRecord<>("embedded-kafka-roundtrip", null,
                    "order-17", "{\"total\":42}", List.of(
                            new RecordHeader("tenant", "acme".getBytes(UTF_8)),
                            new RecordHeader("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
                                    .getBytes(UTF_8))));
            sent = producer.send(record).get(30, TimeUnit.SECONDS);
        }

        Map<String, Object> consumerConfig = kafka.consumerConfig("embedded-kafka-roundtrip-group");
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.subscribe(List.of("embedded-kafka-roundtrip"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }

        assertThat(received).hasSize(1);
        ConsumerRecord<String, String> record = received.get(0);
        assertThat(record.key()).isEqualTo("order-17");
        assertThat(record.value()).isEqualTo("{\"total\":42}");
        assertThat(record.partition()).isEqualTo(sent.partition());
        assertThat(record.offset()).isEqualTo(sent.offset());
        assertThat(headers(record.headers()))
                .containsExactly("tenant=acme", "traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    }

    @Test
    void createTopicWaitsUntilThePartitionsExistAndAcceptsTheSameTopicTwice(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic("embedded-kafka-twice", 2);
        kafka.createTopic("embedded-kafka-twice", 2);

        try (Admin admin = kafka.admin()) {
            assertThat(admin.describeTopics(List.of("embedded-kafka-twice")).allTopicNames().get()
                    .get("embedded-kafka-twice").partitions()).hasSize(2);
        }
        assertThatThrownBy(() -> kafka.createTopic("embedded-kafka-twice", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already exists with 2 partitions");
    }

    @Test
    void clientConfigHelpersPointAtTheBrokerWithTestFriendlySettings(EmbeddedKafka kafka) {
        assertThat(kafka.producerConfig())
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers())
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .doesNotContainKeys(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        assertThat(kafka.consumerConfig("g1"))
                .containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers())
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "g1")
                .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .doesNotContainKeys(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        // Fresh, mutable maps: a caller's additions do not leak into the next caller's.
        kafka.producerConfig().put("client.id", "mine");
        assertThat(kafka.producerConfig()).doesNotContainKey("client.id");
    }

    @Test
    void listensAndAdvertisesOnLoopbackOnly(EmbeddedKafka kafka) throws Exception {
        assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
        int brokerPort = Integer.parseInt(kafka.bootstrapServers().substring("127.0.0.1:".length()));

        // What clients are told to connect to after bootstrapping.
        try (Admin admin = kafka.admin()) {
            Collection<Node> nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
            assertThat(nodes).singleElement().satisfies(node -> {
                assertThat(node.host()).isEqualTo("127.0.0.1");
                assertThat(node.port()).isEqualTo(brokerPort);
            });
        }

        // What the sockets are bound to: reachable on loopback, refused on every other address
        // of this machine (a wildcard bind, which the kit does by default, would accept there).
        for (int port : List.of(brokerPort, kafka.controllerPort())) {
            assertThat(connects(new InetSocketAddress("127.0.0.1", port))).as("127.0.0.1:%d", port).isTrue();
            for (InetAddress address : nonLoopbackAddresses()) {
                assertThat(connects(new InetSocketAddress(address, port))).as("%s:%d", address, port).isFalse();
            }
        }

        // And, where the kernel says so (Linux), no listening socket on these ports is a wildcard one.
        Path tcp = Paths.get("/proc/net/tcp");
        if (Files.isReadable(tcp)) {
            List<String> listeners = listeningAddresses(List.of(brokerPort, kafka.controllerPort()));
            assertThat(listeners).isNotEmpty().allSatisfy(local -> assertThat(local).isEqualTo("0100007F"));
        }
    }

    @Test
    void closeStopsTheBrokerDeletesItsFolderAndIsIdempotent() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        Path folder = kafka.baseDirectory();
        int port = Integer.parseInt(kafka.bootstrapServers().substring("127.0.0.1:".length()));
        assertThat(folder).isDirectory();
        assertThat(connects(new InetSocketAddress("127.0.0.1", port))).isTrue();
        System.out.printf("[tracewire tests] second EmbeddedKafka in this JVM started in %d ms%n",
                kafka.startupTime().toMillis());

        kafka.close();
        kafka.close();

        assertThat(kafka.isClosed()).isTrue();
        assertThat(folder).doesNotExist();
        assertThat(connects(new InetSocketAddress("127.0.0.1", port))).isFalse();
        assertThatThrownBy(() -> kafka.createTopic("after-close", 1)).isInstanceOf(IllegalStateException.class);
    }

    private static List<String> headers(Iterable<Header> headers) {
        List<String> out = new ArrayList<>();
        headers.forEach(h -> out.add(h.key() + "=" + new String(h.value(), UTF_8)));
        return out;
    }

    static boolean connects(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1_000);
            return true;
        } catch (ConnectException | SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return false; // e.g. no route to an address of a down interface
        }
    }

    static List<InetAddress> nonLoopbackAddresses() throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                boolean linkLocalV6 = address instanceof Inet6Address && address.isLinkLocalAddress();
                if (!address.isLoopbackAddress() && !linkLocalV6) {
                    addresses.add(address);
                }
            }
        }
        return addresses;
    }

    /**
     * Local addresses (hex, as the kernel prints them) of the listening TCP sockets on the given
     * ports, from /proc/net/tcp and /proc/net/tcp6 (IPv4-mapped IPv6 addresses as IPv4).
     */
    static List<String> listeningAddresses(List<Integer> ports) throws IOException {
        List<String> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Paths.get(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                boolean listening = fields[3].equals("0A");
                if (listening && ports.contains(Integer.parseInt(local[1], 16))) {
                    String address = local[0];
                    out.add(address.startsWith("0000000000000000FFFF0000") ? address.substring(24) : address);
                }
            }
        }
        return out;
    }
}
