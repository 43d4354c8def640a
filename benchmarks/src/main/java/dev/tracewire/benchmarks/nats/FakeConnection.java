package dev.tracewire.benchmarks.nats;

import io.nats.client.impl.NatsMessage;

/**
 * A NATS {@code Connection} without a network, for benchmarks only: {@code publish} builds the
 * {@code NatsMessage} the real connection would queue (which copies the headers and computes
 * their serialized length) and keeps it; {@code getServerInfo} and {@code getConnectedUrl} answer
 * what a publisher asks at construction. Everything else throws.
 */
final class FakeConnection implements io.nats.client.Connection {

    private final String connectedUrl;
    private NatsMessage last;
    private long published;

    FakeConnection(String connectedUrl) {
        this.connectedUrl = connectedUrl;
    }

    NatsMessage last() {
        return last;
    }

    long published() {
        return published;
    }

    private void sink(NatsMessage message) {
        last = message;
        published++;
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("a benchmark fake");
    }

    @Override
    public void publish(java.lang.String a0, byte[] a1) {
        sink(new NatsMessage(a0, null, null, a1));
    }

    @Override
    public void publish(java.lang.String a0, io.nats.client.impl.Headers a1, byte[] a2) {
        sink(new NatsMessage(a0, null, a1, a2));
    }

    @Override
    public void publish(java.lang.String a0, java.lang.String a1, byte[] a2) {
        sink(new NatsMessage(a0, a1, null, a2));
    }

    @Override
    public void publish(java.lang.String a0, java.lang.String a1, io.nats.client.impl.Headers a2, byte[] a3) {
        sink(new NatsMessage(a0, a1, a2, a3));
    }

    @Override
    public void publish(io.nats.client.Message a0) {
        sink(new NatsMessage(a0));
    }

    @Override
    public java.util.concurrent.CompletableFuture<io.nats.client.Message> request(java.lang.String a0, byte[] a1) {
        throw unsupported();
    }

    @Override
    public java.util.concurrent.CompletableFuture<io.nats.client.Message> request(java.lang.String a0, io.nats.client.impl.Headers a1, byte[] a2) {
        throw unsupported();
    }

    @Override
    public java.util.concurrent.CompletableFuture<io.nats.client.Message> requestWithTimeout(java.lang.String a0, byte[] a1, java.time.Duration a2) {
        throw unsupported();
    }

    @Override
    public java.util.concurrent.CompletableFuture<io.nats.client.Message> requestWithTimeout(java.lang.String a0, io.nats.client.impl.Headers a1, byte[] a2, java.time.Duration a3) {
        throw unsupported();
    }

    @Override
    public java.util.concurrent.CompletableFuture<io.nats.client.Message> request(io.nats.client.Message a0) {
        throw unsupported();
    }

    @Override
    public java.util.concurrent.CompletableFuture<io.nats.client.Message> requestWithTimeout(io.nats.client.Message a0, java.time.Duration a1) {
        throw unsupported();
    }

    @Override
    public io.nats.client.Message request(java.lang.String a0, byte[] a1, java.time.Duration a2) throws java.lang.InterruptedException {
        throw unsupported();
    }

    @Override
    public io.nats.client.Message request(java.lang.String a0, io.nats.client.impl.Headers a1, byte[] a2, java.time.Duration a3) throws java.lang.InterruptedException {
        throw unsupported();
    }

    @Override
    public io.nats.client.Message request(io.nats.client.Message a0, java.time.Duration a1) throws java.lang.InterruptedException {
        throw unsupported();
    }

    @Override
    public io.nats.client.Subscription subscribe(java.lang.String a0) {
        throw unsupported();
    }

    @Override
    public io.nats.client.Subscription subscribe(java.lang.String a0, java.lang.String a1) {
        throw unsupported();
    }

    @Override
    public io.nats.client.Dispatcher createDispatcher(io.nats.client.MessageHandler a0) {
        throw unsupported();
    }

    @Override
    public io.nats.client.Dispatcher createDispatcher() {
        throw unsupported();
    }

    @Override
    public void closeDispatcher(io.nats.client.Dispatcher a0) {
        throw unsupported();
    }

    @Override
    public void addConnectionListener(io.nats.client.ConnectionListener a0) {
        throw unsupported();
    }

    @Override
    public void removeConnectionListener(io.nats.client.ConnectionListener a0) {
        throw unsupported();
    }

    @Override
    public void flush(java.time.Duration a0) throws java.util.concurrent.TimeoutException, java.lang.InterruptedException {
        throw unsupported();
    }

    @Override
    public java.util.concurrent.CompletableFuture<java.lang.Boolean> drain(java.time.Duration a0) throws java.util.concurrent.TimeoutException, java.lang.InterruptedException {
        throw unsupported();
    }

    @Override
    public void close() {
        // nothing to release
    }

    @Override
    public io.nats.client.Connection.Status getStatus() {
        return Status.CONNECTED;
    }

    @Override
    public long getMaxPayload() {
        throw unsupported();
    }

    @Override
    public java.util.Collection<java.lang.String> getServers() {
        throw unsupported();
    }

    @Override
    public io.nats.client.Statistics getStatistics() {
        throw unsupported();
    }

    @Override
    public io.nats.client.Options getOptions() {
        throw unsupported();
    }

    @Override
    public io.nats.client.api.ServerInfo getServerInfo() {
        return null;
    }

    @Override
    public java.lang.String getConnectedUrl() {
        return connectedUrl;
    }

    @Override
    public java.net.InetAddress getClientInetAddress() {
        throw unsupported();
    }

    @Override
    public java.lang.String getLastError() {
        throw unsupported();
    }

    @Override
    public void clearLastError() {
        throw unsupported();
    }

    @Override
    public java.lang.String createInbox() {
        throw unsupported();
    }

    @Override
    public void flushBuffer() throws java.io.IOException {
        throw unsupported();
    }

    @Override
    public void forceReconnect() throws java.io.IOException, java.lang.InterruptedException {
        throw unsupported();
    }

    @Override
    public void forceReconnect(io.nats.client.ForceReconnectOptions a0) throws java.io.IOException, java.lang.InterruptedException {
        throw unsupported();
    }

    @Override
    public java.time.Duration RTT() throws java.io.IOException {
        throw unsupported();
    }

    @Override
    public io.nats.client.StreamContext getStreamContext(java.lang.String a0) throws java.io.IOException, io.nats.client.JetStreamApiException {
        throw unsupported();
    }

    @Override
    public io.nats.client.StreamContext getStreamContext(java.lang.String a0, io.nats.client.JetStreamOptions a1) throws java.io.IOException, io.nats.client.JetStreamApiException {
        throw unsupported();
    }

    @Override
    public io.nats.client.ConsumerContext getConsumerContext(java.lang.String a0, java.lang.String a1) throws java.io.IOException, io.nats.client.JetStreamApiException {
        throw unsupported();
    }

    @Override
    public io.nats.client.ConsumerContext getConsumerContext(java.lang.String a0, java.lang.String a1, io.nats.client.JetStreamOptions a2) throws java.io.IOException, io.nats.client.JetStreamApiException {
        throw unsupported();
    }

    @Override
    public io.nats.client.JetStream jetStream() throws java.io.IOException {
        throw unsupported();
    }

    @Override
    public io.nats.client.JetStream jetStream(io.nats.client.JetStreamOptions a0) throws java.io.IOException {
        throw unsupported();
    }

    @Override
    public io.nats.client.JetStreamManagement jetStreamManagement() throws java.io.IOException {
        throw unsupported();
    }

    @Override
    public io.nats.client.JetStreamManagement jetStreamManagement(io.nats.client.JetStreamOptions a0) throws java.io.IOException {
        throw unsupported();
    }

    @Override
    public io.nats.client.KeyValue keyValue(java.lang.String a0) throws java.io.IOException {
        throw unsupported();
    }

    @Override
    public io.nats.client.KeyValue keyValue(java.lang.String a0, io.nats.client.KeyValueOptions a1) throws java.io.IOException {
        throw unsupported();
    }

    @Override
    public io.nats.client.KeyValueManagement keyValueManagement() throws java.io.IOException {
        throw unsupported();
    }

    @Override
    public io.nats.client.KeyValueManagement keyValueManagement(io.nats.client.KeyValueOptions a0) throws java.io.IOException {
        throw unsupported();
    }

    @Override
    public io.nats.client.ObjectStore objectStore(java.lang.String a0) throws java.io.IOException {
        throw unsupported();
    }

    @Override
    public io.nats.client.ObjectStore objectStore(java.lang.String a0, io.nats.client.ObjectStoreOptions a1) throws java.io.IOException {
        throw unsupported();
    }

    @Override
    public io.nats.client.ObjectStoreManagement objectStoreManagement() throws java.io.IOException {
        throw unsupported();
    }

    @Override
    public io.nats.client.ObjectStoreManagement objectStoreManagement(io.nats.client.ObjectStoreOptions a0) throws java.io.IOException {
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
