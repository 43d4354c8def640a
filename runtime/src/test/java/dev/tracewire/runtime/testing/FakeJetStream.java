package dev.tracewire.runtime.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.nats.client.ConsumerContext;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.PublishOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.StreamContext;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The JetStream of a {@link FakeConnection}: a publish is answered by a "server" that acknowledges
 * it in one stream with the next sequence number, refuses it with an API error, or has no stream
 * for the subject (503); while the connection {@link FakeConnection#failPublishesWith fails
 * publishes}, nothing goes out and the publish throws. The answer goes through the same steps as in jnats, so that the failures
 * reach the caller in jnats' shapes: thrown {@link JetStreamApiException} or {@link IOException}
 * synchronously; asynchronously a future failed with a {@code CompletionException} around a
 * {@code RuntimeException} around them. Asynchronous acknowledgements can be
 * {@link #holdAsyncAcks() held} and {@link #releaseNext() released} by the test, from any thread.
 * Push subscriptions on a {@link FakeDispatcher} without automatic acks are recorded there (and
 * return {@code null}); the other methods throw {@link UnsupportedOperationException}.
 */
public final class FakeJetStream implements JetStream {

    private final FakeConnection connection;
    private final List<NatsMessage> published = new ArrayList<>();
    private final Deque<Runnable> held = new ArrayDeque<>();
    private String stream = "STREAM";
    private long sequence;
    private String refusal;
    private boolean noStream;
    private boolean holding;

    FakeJetStream(FakeConnection connection) {
        this.connection = connection;
    }

    /** Acknowledges later publishes in {@code streamName}, with sequence numbers going on from the last. */
    public synchronized FakeJetStream acknowledgeIn(String streamName) {
        this.stream = streamName;
        this.refusal = null;
        this.noStream = false;
        return this;
    }

    /** Refuses later publishes with a JetStream API error, as the server does (a wrong expected stream, say). */
    public synchronized FakeJetStream refuseWith(int code, int apiErrorCode, String description) {
        this.refusal = "{\"error\":{\"code\":" + code + ",\"err_code\":" + apiErrorCode + ",\"description\":\""
                + description + "\"}}";
        return this;
    }

    /** Answers later publishes the way the server does when no stream binds the subject: 503, no responders. */
    public synchronized FakeJetStream withoutStream() {
        this.noStream = true;
        return this;
    }

    /** Holds the answers to asynchronous publishes until {@link #releaseNext()}. */
    public synchronized FakeJetStream holdAsyncAcks() {
        this.holding = true;
        return this;
    }

    /** Delivers the oldest held answer, on the calling thread. */
    public void releaseNext() {
        Runnable next;
        synchronized (this) {
            next = held.poll();
        }
        if (next == null) {
            throw new IllegalStateException("no answer is held");
        }
        next.run();
    }

    /** The messages published to streams so far, acknowledged or not, in order. */
    public synchronized List<NatsMessage> published() {
        return List.copyOf(published);
    }

    @Override
    public PublishAck publish(String subject, Headers headers, byte[] body) throws IOException, JetStreamApiException {
        return ack(answer(new NatsMessage(subject, null, headers, body)));
    }

    @Override
    public CompletableFuture<PublishAck> publishAsync(String subject, Headers headers, byte[] body) {
        Message answer = answer(new NatsMessage(subject, null, headers, body));
        CompletableFuture<Message> response = new CompletableFuture<>();
        // As NatsJetStream.publishAsyncInternal turns the server's answer into an acknowledgement.
        CompletableFuture<PublishAck> acknowledgement = response.thenCompose(reply -> {
            try {
                return CompletableFuture.completedFuture(ack(reply));
            } catch (IOException | JetStreamApiException e) {
                throw new RuntimeException(e);
            }
        });
        synchronized (this) {
            if (holding) {
                held.add(() -> response.complete(answer));
                return acknowledgement;
            }
        }
        response.complete(answer);
        return acknowledgement;
    }

    private synchronized Message answer(NatsMessage message) {
        connection.checkPublishable();
        published.add(message);
        if (noStream) {
            return FakeConnection.noRespondersStatus("_INBOX.ack");
        }
        String json = refusal != null ? refusal : "{\"stream\":\"" + stream + "\",\"seq\":" + ++sequence + "}";
        return new NatsMessage("_INBOX.ack", null, null, json.getBytes(UTF_8));
    }

    /** What jnats makes of the server's answer to a publish (NatsJetStream.processPublishResponse). */
    private static PublishAck ack(Message answer) throws IOException, JetStreamApiException {
        if (answer.isStatusMessage()) {
            throw new IOException("Error Publishing: " + answer.getStatus().getMessageWithCode());
        }
        return new PublishAck(answer);
    }

    // ---------------------------------------------------------------- not supported

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("not supported by FakeJetStream");
    }

    @Override
    public PublishAck publish(String subject, byte[] body) {
        throw unsupported();
    }

    @Override
    public PublishAck publish(String subject, byte[] body, PublishOptions options) {
        throw unsupported();
    }

    @Override
    public PublishAck publish(String subject, Headers headers, byte[] body, PublishOptions options) {
        throw unsupported();
    }

    @Override
    public PublishAck publish(Message message) {
        throw unsupported();
    }

    @Override
    public PublishAck publish(Message message, PublishOptions options) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<PublishAck> publishAsync(String subject, byte[] body) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<PublishAck> publishAsync(String subject, byte[] body, PublishOptions options) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<PublishAck> publishAsync(String subject, Headers headers, byte[] body,
            PublishOptions options) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<PublishAck> publishAsync(Message message) {
        throw unsupported();
    }

    @Override
    public CompletableFuture<PublishAck> publishAsync(Message message, PublishOptions options) {
        throw unsupported();
    }

    @Override
    public JetStreamSubscription subscribe(String subject) {
        throw unsupported();
    }

    @Override
    public JetStreamSubscription subscribe(String subject, PushSubscribeOptions options) {
        throw unsupported();
    }

    @Override
    public JetStreamSubscription subscribe(String subject, String queue, PushSubscribeOptions options) {
        throw unsupported();
    }

    @Override
    public JetStreamSubscription subscribe(String subject, Dispatcher dispatcher, MessageHandler handler,
            boolean autoAck) {
        throw unsupported();
    }

    @Override
    public JetStreamSubscription subscribe(String subject, Dispatcher dispatcher, MessageHandler handler,
            boolean autoAck, PushSubscribeOptions options) {
        return subscribe(subject, null, dispatcher, handler, autoAck, options);
    }

    @Override
    public JetStreamSubscription subscribe(String subject, String queue, Dispatcher dispatcher,
            MessageHandler handler, boolean autoAck, PushSubscribeOptions options) {
        if (autoAck) {
            throw new UnsupportedOperationException("FakeJetStream does not acknowledge for the handler");
        }
        ((FakeDispatcher) dispatcher).subscribeToStream(subject, queue, options, handler);
        return null;
    }

    @Override
    public JetStreamSubscription subscribe(String subject, PullSubscribeOptions options) {
        throw unsupported();
    }

    @Override
    public JetStreamSubscription subscribe(String subject, Dispatcher dispatcher, MessageHandler handler,
            PullSubscribeOptions options) {
        throw unsupported();
    }

    @Override
    public StreamContext getStreamContext(String streamName) {
        throw unsupported();
    }

    @Override
    public ConsumerContext getConsumerContext(String streamName, String consumerName) {
        throw unsupported();
    }
}
