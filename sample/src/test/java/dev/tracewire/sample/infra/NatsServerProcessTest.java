package dev.tracewire.sample.infra;

import static dev.tracewire.sample.infra.EmbeddedKafkaTest.connects;
import static dev.tracewire.sample.infra.EmbeddedKafkaTest.nonLoopbackAddresses;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.tracewire.sample.support.SharedNats;

@ExtendWith(SharedNats.Extension.class)
class NatsServerProcessTest {

    @Test
    void carriesAMessageWithHeadersThenCloseKillsTheProcessAndDeletesItsFolder() throws Exception {
        NatsServerProcess nats = NatsServerProcess.start();
        ProcessHandle process = nats.processHandle();
        Path folder = nats.directory();
        assertThat(process.isAlive()).isTrue();
        assertThat(folder).isDirectory();
        assertThat(nats.url()).isEqualTo("nats://127.0.0.1:" + nats.port());

        // Not try-with-resources: Connection.close() throws InterruptedException, which -Xlint:try rejects.
        Connection connection = Nats.connect(nats.url());
        try {
            Subscription subscription = connection.subscribe("infra.test");
            connection.flush(Duration.ofSeconds(5)); // the server knows the subscription
            Headers headers = new Headers().add("tenant", "acme").add("traceparent", "00-abc-def-01");
            connection.publish(NatsMessage.builder()
                    .subject("infra.test").headers(headers).data("hello", UTF_8).build());

            Message message = subscription.nextMessage(Duration.ofSeconds(5));
            assertThat(message).isNotNull();
            assertThat(new String(message.getData(), UTF_8)).isEqualTo("hello");
            assertThat(message.getHeaders().getFirst("tenant")).isEqualTo("acme");
            assertThat(message.getHeaders().getFirst("traceparent")).isEqualTo("00-abc-def-01");
        } finally {
            connection.close();
        }

        nats.close();
        nats.close();

        assertThat(nats.isClosed()).isTrue();
        assertThat(process.isAlive()).isFalse();
        assertThat(folder).doesNotExist();
        assertThat(connects(new InetSocketAddress("127.0.0.1", nats.port()))).isFalse();
    }

    @Test
    void listensOnLoopbackOnlyWithJetStreamEnabled(NatsServerProcess nats) throws Exception {
        assertThat(nats.url()).matches("nats://127\\.0\\.0\\.1:\\d+");
        assertThat(connects(new InetSocketAddress("127.0.0.1", nats.port()))).isTrue();
        for (InetAddress address : nonLoopbackAddresses()) {
            assertThat(connects(new InetSocketAddress(address, nats.port()))).as("%s", address).isFalse();
        }

        Connection connection = Nats.connect(nats.url());
        try {
            JetStreamManagement management = connection.jetStreamManagement();
            management.addStream(StreamConfiguration.builder()
                    .name("INFRA_TEST").subjects("infra.js.>").storageType(StorageType.File).build());
            JetStream jetStream = connection.jetStream();
            PublishAck ack = jetStream.publish("infra.js.one", "payload".getBytes(UTF_8));
            assertThat(ack.getStream()).isEqualTo("INFRA_TEST");
            assertThat(ack.getSeqno()).isEqualTo(1);
        } finally {
            connection.close();
        }
        // JetStream keeps its files in the server's own temporary folder.
        assertThat(nats.directory().resolve("store").resolve("jetstream")).isDirectory();
    }

    @Test
    void restartsOnTheSamePortWithItsFileStoredStreams() throws Exception {
        NatsServerProcess nats = NatsServerProcess.start();
        try {
            Connection connection = Nats.connect(nats.url());
            try {
                connection.jetStreamManagement().addStream(StreamConfiguration.builder()
                        .name("INFRA_RESTART").subjects("infra.restart").storageType(StorageType.File).build());
                connection.jetStream().publish("infra.restart", "kept".getBytes(UTF_8));
            } finally {
                connection.close();
            }
            ProcessHandle first = nats.processHandle();

            nats.stop();
            assertThat(first.isAlive()).isFalse();
            assertThat(connects(new InetSocketAddress("127.0.0.1", nats.port()))).isFalse();
            nats.restart();

            assertThat(nats.processHandle().pid()).isNotEqualTo(first.pid());
            assertThat(nats.processHandle().isAlive()).isTrue();
            Connection again = Nats.connect(nats.url());
            try {
                MessageInfo kept = again.jetStreamManagement().getMessage("INFRA_RESTART", 1);
                assertThat(new String(kept.getData(), UTF_8)).isEqualTo("kept");
            } finally {
                again.close();
            }
        } finally {
            nats.close();
        }
        assertThat(nats.directory()).doesNotExist();
        assertThatThrownBy(nats::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void theSharedServerIsOneInstance(NatsServerProcess nats) {
        assertThat(SharedNats.get()).isSameAs(nats);
        assertThat(nats.processHandle().isAlive()).isTrue();
    }

    @Test
    void findsTheProgramThroughTheVariableThenPathThenSbin(@TempDir Path dir) throws Exception {
        Path onPath = Files.createDirectories(dir.resolve("bin"));
        Path sbin = Files.createDirectories(dir.resolve("sbin"));
        Path explicit = executable(dir.resolve("my-nats"));
        executable(sbin.resolve("nats-server"));

        assertThat(NatsServerProcess.findExecutable(Map.of("PATH", onPath.toString()), List.of(sbin)))
                .contains(sbin.resolve("nats-server"));
        executable(onPath.resolve("nats-server"));
        assertThat(NatsServerProcess.findExecutable(Map.of("PATH", onPath.toString()), List.of(sbin)))
                .contains(onPath.resolve("nats-server"));
        assertThat(NatsServerProcess.findExecutable(
                Map.of("PATH", onPath.toString(), NatsServerProcess.PATH_VARIABLE, explicit.toString()), List.of(sbin)))
                .contains(explicit);
    }

    @Test
    void saysHowToInstallTheProgramWhenItIsMissing(@TempDir Path dir) {
        assertThatThrownBy(() -> NatsServerProcess.requireExecutable(Map.of("PATH", dir.toString()), List.of(dir)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot find the nats-server program")
                .hasMessageContaining("apt-get install -y nats-server")
                .hasMessageContaining(NatsServerProcess.PATH_VARIABLE);
        assertThatThrownBy(() -> NatsServerProcess.findExecutable(
                Map.of(NatsServerProcess.PATH_VARIABLE, dir.resolve("absent").toString()), List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not an executable file")
                .hasMessageContaining("apt-get install -y nats-server");
    }

    @Test
    void reportsAServerThatExitsBeforeAcceptingClientsWithItsOutput(@TempDir Path dir) throws Exception {
        Path broken = executable(dir.resolve("broken-nats-server"));
        Files.writeString(broken, "#!/bin/sh\necho 'nats: bad flag' >&2\nexit 3\n");

        assertThatThrownBy(() -> NatsServerProcess.start(broken))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with status 3")
                .hasMessageContaining("nats: bad flag");
    }

    @Test
    void readsTheClientPortFromThePortsFile() {
        assertThat(NatsServerProcess.parseClientPort("{\"nats\":[\"nats://127.0.0.1:38637\"]}")).isEqualTo(38637);
        assertThat(NatsServerProcess.parseClientPort(
                "{\n  \"nats\": [ \"nats://127.0.0.1:4222\", \"nats://[::1]:4222\" ],\n  \"monitoring\": [\"http://127.0.0.1:8222\"]\n}"))
                .isEqualTo(4222);
        assertThat(NatsServerProcess.parseClientPort("{\"monitoring\":[\"http://127.0.0.1:8222\"],"
                + "\"nats\":[\"nats://127.0.0.1:5000\"]}")).isEqualTo(5000);
        assertThat(NatsServerProcess.parseClientPort("{\"nats\":[\"nats://127.0.")).isNull();
        assertThat(NatsServerProcess.parseClientPort("")).isNull();
    }

    private static Path executable(Path file) throws Exception {
        if (!Files.exists(file)) {
            Files.writeString(file, "#!/bin/sh\nexit 0\n");
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
