package dev.tracewire.benchmarks.kafka;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of the benchmark JVM by role (the broker, the producer's I/O thread, the consumer's
 * loop, the span processor's worker, the publishing thread, and the rest: GC, JIT and other VM
 * threads), between two snapshots. For {@code -Dtracewire.bench.threadCpu=true}: where the CPU of
 * a message goes, which throughput alone does not say on a machine shared with other work.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final String[] ROLES = {"publish", "producer-io", "consumer", "span-export", "broker", "other-java",
        "vm (gc, jit)"};

    private final Map<Long, Long> threadNanos = new HashMap<>();
    private final Map<Long, String> threadRoles = new HashMap<>();
    private final long processNanos;

    private ThreadCpu() {
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = THREADS.getThreadCpuTime(info.getThreadId());
            if (nanos >= 0) {
                threadNanos.put(info.getThreadId(), nanos);
                threadRoles.put(info.getThreadId(), role(info.getThreadName()));
            }
        }
        processNanos = OS.getProcessCpuTime();
    }

    static ThreadCpu snapshot() {
        return new ThreadCpu();
    }

    /** CPU microseconds per message by role since {@code before}, as one line. */
    String perMessageSince(ThreadCpu before, long messages) {
        Map<String, Long> byRole = new LinkedHashMap<>();
        for (String role : ROLES) {
            byRole.put(role, 0L);
        }
        long javaNanos = 0;
        for (Map.Entry<Long, Long> entry : threadNanos.entrySet()) {
            long delta = entry.getValue() - before.threadNanos.getOrDefault(entry.getKey(), 0L);
            javaNanos += delta;
            byRole.merge(threadRoles.get(entry.getKey()), delta, Long::sum);
        }
        long process = processNanos - before.processNanos;
        byRole.put("vm (gc, jit)", process - javaNanos);
        StringBuilder line = new StringBuilder(String.format("CPU us/message: total %.2f", process / 1e3 / messages));
        byRole.forEach((role, nanos) -> line.append(String.format(", %s %.2f", role, nanos / 1e3 / messages)));
        return line.toString();
    }

    private static String role(String name) {
        if (name.contains("jmh-worker")) {
            return "publish";
        }
        if (name.startsWith("kafka-producer-network-thread")) {
            return "producer-io";
        }
        if (name.startsWith("tracewire-kafka") || name.startsWith("plain-poll-loop")
                || name.startsWith("consumer_background_thread") || name.startsWith("kafka-coordinator-heartbeat")) {
            return "consumer";
        }
        if (name.startsWith("BatchSpanProcessor")) {
            return "span-export";
        }
        if (name.contains("kafka") || name.contains("raft") || name.contains("broker") || name.contains("controller")
                || name.contains("data-plane") || name.contains("ExpirationReaper") || name.contains("executor")
                || name.contains("quorum") || name.contains("Log") || name.contains("log")) {
            return "broker";
        }
        return "other-java";
    }
}
