package dev.tracewire.runtime.testing;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ConsumerContext;
import io.nats.client.Dispatcher;
import io.nats.client.ForceReconnectOptions;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamStatusException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.ObjectStore;
import io.nats.client.ObjectStoreManagement;
import io.nats.client.ObjectStoreOptions;
import io.nats.client.Options;
import io.nats.client.Statistics;
import io.nats.client.StreamContext;
import io.nats.client.Subscription;
import io.nats.client.api.ServerInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.nats.client.support.NatsRequestCompletableFuture;
import io.nats.client.support.NatsRequestCompletableFuture.CancelAction;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A NATS {@link Connection} without a network, for the runtime's unit tests and the benchmarks.
 *
 * <ul>
 *   <li>{@code publish} builds the {@link NatsMessage} the real connection would queue and keeps
 *       it ({@link #published()}), or throws what {@link #failPublishesWith} set.
 *   <li>{@code requestWithTimeout} answers from the responder {@link #respond registered} for the
 *       subject; without one it signals "no responders" the way jnats does
 *       ({@link #signalNoRespondersBy}); a subject {@link #leaveUnanswered left unanswered} gets
 *       no reply until the test completes the {@link Request#reply()} itself.
 *   <li>{@link #jetStream()} is one {@link FakeJetStream} that acknowledges or refuses.
 *   <li>{@code createDispatcher()} makes a {@link FakeDispatcher}; {@link #deliver} hands a received
 *       message to the matching subscriptions of the open ones, on the calling thread.
 *   <li>{@link #getConnectedUrl()}, {@link #getServerInfo()} and {@code getStatus()} (always
 *       {@code CONNECTED}) answer what a client reads; {@code close()} does nothing, and connection
 *       listeners are accepted and never called.
 * </ul>
 *
 * Everything else throws {@link UnsupportedOperationException}.
 */
public final class FakeConnection implements Connection {

    /** One request the connection was asked to send, and the future its reply completes. */
    public record Request(NatsMessage message, NatsRequestCompletableFuture reply) {
    }

    private final String connectedUrl;
    private final boolean keepEverything;
    private final List<NatsMessage> published = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Function<Message, Message>> responders = new ConcurrentHashMap<>();
    private final Set<String> unanswered = ConcurrentHashMap.newKeySet();
    private final AtomicLong inboxes = new AtomicLong();
    private final FakeJetStream jetStream = new FakeJetStream(this);
    private final List<FakeDispatcher> dispatchers = new CopyOnWriteArrayList<>();
    private volatile ServerInfo serverInfo;
    private volatile RuntimeException publishFailure;
    private volatile CancelAction noResponders = CancelAction.CANCEL;
    /** Written without a lock: a benchmark publishes from one thread and reads them there. */
    private NatsMessage last;
    private long publishedCount;

    private FakeConnection(String connectedUrl, boolean keepEverything) {
        this.connectedUrl = connectedUrl;
        this.keepEverything = keepEverything;
    }

    /** A connection to {@code connectedUrl} (may be {@code null}: not connected) that keeps every message. */
    public static FakeConnection connectedTo(String connectedUrl) {
        return new FakeConnection(connectedUrl, true);
    }

    /** A connection that keeps only the last message and a count, for benchmarks that publish millions. */
    public static FakeConnection keepingOnlyTheLast(String connectedUrl) {
        return new FakeConnection(connectedUrl, false);
    }

    /** Makes {@link #getServerInfo()} report {@code clientId}, as the server's INFO does. */
    public FakeConnection withClientId(int clientId) {
        this.serverInfo = new ServerInfo("INFO {\"client_id\":" + clientId + "}");
        return this;
    }

    /**
     * Makes every later publish, request and JetStream publish throw {@code failure}, as a closed
     * connection does; {@code null} lets them through again.
     */
    public FakeConnection failPublishesWith(RuntimeException failure) {
        this.publishFailure = failure;
        return this;
    }

    /** Answers requests to {@code subject} with what {@code responder} returns for the request message. */
    public FakeConnection respond(String subject, Function<Message, Message> responder) {
        responders.put(subject, responder);
        return this;
    }

    /** Leaves requests to {@code subject} without a reply; the test may complete {@link Request#reply()}. */
    public FakeConnection leaveUnanswered(String subject) {
        unanswered.add(subject);
        return this;
    }

    /**
     * How a request nobody responds to ends, as jnats' options choose: {@code CANCEL} (the default)
     * cancels the future, {@code REPORT} fails it with a {@link JetStreamStatusException}, and
     * {@code COMPLETE} completes it with the server's 503 status message.
     */
    public FakeConnection signalNoRespondersBy(CancelAction action) {
        this.noResponders = action;
        return this;
    }

    /** The messages published so far, in order (empty when keeping only the last). */
    public synchronized List<NatsMessage> published() {
        return List.copyOf(published);
    }

    /** The messages published so far to {@code subject}. */
    public synchronized List<NatsMessage> published(String subject) {
        return published.stream().filter(message -> message.getSubject().equals(subject)).toList();
    }

    /** The last message published, as the publishing thread sees it. */
    public NatsMessage last() {
        return last;
    }

    /** How many messages were published, as the publishing thread sees it. */
    public long publishedCount() {
        return publishedCount;
    }

    /** The requests sent so far, in order. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public FakeJetStream jetStream() {
        return jetStream;
    }

    @Override
    public FakeDispatcher createDispatcher() {
        FakeDispatcher dispatcher = new FakeDispatcher();
        dispatchers.add(dispatcher);
        return dispatcher;
    }

    @Override
    public void closeDispatcher(Dispatcher dispatcher) {
        ((FakeDispatcher) dispatcher).close();
    }

    /** The dispatchers created so far, in order. */
    public List<FakeDispatcher> dispatchers() {
        return List.copyOf(dispatchers);
    }

    /**
     * Receives {@code message} (a {@link FakeMessage}, say): hands it to every matching subscription
     * of the dispatchers still open, on this thread; how many took it.
     */
    public int deliver(Message message) throws InterruptedException {
        int delivered = 0;
        for (FakeDispatcher dispatcher : dispatchers) {
            delivered += dispatcher.deliver(message);
        }
        return delivered;
    }

    @Override
    public void publish(String subject, byte[] body) {
        sink(new NatsMessage(subject, null, null, body));
    }

    @Override
    public void publish(String subject, Headers headers, byte[] body) {
        sink(new NatsMessage(subject, null, headers, body));
    }

    @Override
    public void publish(String subject, String replyTo, byte[] body) {
        sink(new NatsMessage(subject, replyTo, null, body));
    }

    @Override
    public void publish(String subject, String replyTo, Headers headers, byte[] body) {
        sink(new NatsMessage(subject, replyTo, headers, body));
    }

    @Override
    public void publish(Message message) {
        sink(new NatsMessage(message));
    }

    /** Throws what {@link #failPublishesWith} set, before anything goes out. */
    void checkPublishable() {
        RuntimeException failure = publishFailure;
        if (failure != null) {
            throw failure;
        }
    }

    private void sink(NatsMessage message) {
        checkPublishable();
        if (keepEverything) {
            synchronized (this) {
                published.add(message);
            }
        }
        last = message;
        publishedCount++;
    }

    @Override
    public CompletableFuture<Message> requestWithTimeout(String subject, Headers headers, byte[] body,
            Duration timeout) {
        checkPublishable();
        NatsMessage message = new NatsMessage(subject, createInbox(), headers, body);
        NatsRequestCompletableFuture reply = new NatsRequestCompletableFuture(noResponders, timeout, false);
        synchronized (this) {
            requests.add(new Request(message, reply));
        }
        if (unanswered.contains(subject)) {
            return reply;
        }
        Function<Message, Message> responder = responders.get(subject);
        if (responder != null) {
            reply.complete(responder.apply(message));
        } else {
            signalNoResponders(reply, message.getReplyTo());
        }
        return reply;
    }

    /** What jnats does with the server's 503 answer to a request, by the future's cancel action. */
    private static void signalNoResponders(NatsRequestCompletableFuture reply, String inbox) {
        Message noResponders = noRespondersStatus(inbox);
        switch (reply.getCancelAction()) {
            case REPORT -> reply.completeExceptionally(new JetStreamStatusException(noResponders.getStatus()));
            case COMPLETE -> reply.complete(noResponders);
            default -> reply.cancel(true);
        }
    }

    /** The server's "503 No Responders" status message, as jnats hands it over. */
    static Message noRespondersStatus(String subject) {
        io.nats.client.support.Status status = new io.nats.client.support.Status(
                io.nats.client.support.Status.NO_RESPONDERS_CODE, io.nats.client.support.Status.NO_RESPONDERS_TEXT);
        return new NatsMessage(subject, null, null, new byte[0]) {
            @Override
            public boolean isStatusMessage() {
                return true;
            }

            @Override
            public io.nats.client.support.Status getStatus() {
                return status;
            }
        };
    }

    @Override
    public String createInbox() {
        return "_INBOX.fake." + inboxes.incrementAndGet();
    }

    @Override
    public Connection.Status getStatus() {
        return Connection.Status.CONNECTED;
    }

    @Override
    public ServerInfo getServerInfo() {
        return serverInfo;
    }

    @Override
    public String getConnectedUrl() {
        return connectedUrl;
    }

    @Override
    public void close() {
        // nothing to release
    }

    // ---------------------------------------------------------------- not supported

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("not supported by FakeConnection");
    }

    @Override
    public CompletableFuture<Message> request(String subject, byte[] body) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<Message> request(String subject, Headers headers, byte[] body) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<Message> requestWithTimeout(String subject, byte[] body, Duration timeout) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<Message> request(Message message) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<Message> requestWithTimeout(Message message, Duration timeout) {
        throw unsupported();
    }

    @Override
    public Message request(String subject, byte[] body, Duration timeout) {
        throw unsupported();
    }

    @Override
    public Message request(String subject, Headers headers, byte[] body, Duration timeout) {
        throw unsupported();
    }

    @Override
    public Message request(Message message, Duration timeout) {
        throw unsupported();
    }

    @Override
    public Subscription subscribe(String subject) {
        throw unsupported();
    }

    @Override
    public Subscription subscribe(String subject, String queueName) {
        throw unsupported();
    }

    @Override
    public Dispatcher createDispatcher(MessageHandler handler) {
        throw unsupported();
    }

    @Override
    public void addConnectionListener(ConnectionListener listener) {
    }

    @Override
    public void removeConnectionListener(ConnectionListener listener) {
    }

    @Override
    public void flush(Duration timeout) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<Boolean> drain(Duration timeout) {
        throw unsupported();
    }

    @Override
    public long getMaxPayload() {
        throw unsupported();
    }

    @Override
    public Collection<String> getServers() {
        throw unsupported();
    }

    @Override
    public Statistics getStatistics() {
        throw unsupported();
    }

    @Override
    public Options getOptions() {
        throw unsupported();
    }

    @Override
    public InetAddress getClientInetAddress() {
        throw unsupported();
    }

    @Override
    public String getLastError() {
        throw unsupported();
    }

    @Override
    public void clearLastError() {
        throw unsupported();
    }

    @Override
    public void flushBuffer() {
        throw unsupported();
    }

    @Override
    public void forceReconnect() {
        throw unsupported();
    }

    @Override
    public void forceReconnect(ForceReconnectOptions options) {
        throw unsupported();
    }

    @Override
    public Duration RTT() {
        throw unsupported();
    }

    @Override
    public StreamContext getStreamContext(String streamName) {
        throw unsupported();
    }

    @Override
    public StreamContext getStreamContext(String streamName, JetStreamOptions options) {
        throw unsupported();
    }

    @Override
    public ConsumerContext getConsumerContext(String streamName, String consumerName) {
        throw unsupported();
    }

    @Override
    public ConsumerContext getConsumerContext(String streamName, String consumerName, JetStreamOptions options) {
        throw unsupported();
    }

    @Override
    public JetStream jetStream(JetStreamOptions options) {
        throw unsupported();
    }

    @Override
    public JetStreamManagement jetStreamManagement() {
        throw unsupported();
    }

    @Override
    public JetStreamManagement jetStreamManagement(JetStreamOptions options) {
        throw unsupported();
    }

    @Override
    public KeyValue keyValue(String bucketName) {
        throw unsupported();
    }

    @Override
    public KeyValue keyValue(String bucketName, KeyValueOptions options) {
        throw unsupported();
    }

    @Override
    public KeyValueManagement keyValueManagement() {
        throw unsupported();
    }

    @Override
    public KeyValueManagement keyValueManagement(KeyValueOptions options) {
        throw unsupported();
    }

    @Override
    public ObjectStore objectStore(String bucketName) {
        throw unsupported();
    }

    @Override
    public ObjectStore objectStore(String bucketName, ObjectStoreOptions options) {
        throw unsupported();
    }

    @Override
    public ObjectStoreManagement objectStoreManagement() {
        throw unsupported();
    }

    @Override
    public ObjectStoreManagement objectStoreManagement(ObjectStoreOptions options) {
        throw unsupported();
    }

    @Override
    public long outgoingPendingMessageCount() {
        throw unsupported();
    }

    @Override
    public long outgoingPendingBytes() {
        throw unsupported();
    }
}
