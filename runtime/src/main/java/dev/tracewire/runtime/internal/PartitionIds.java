package dev.tracewire.runtime.internal;

/**
 * The string form of partition numbers for {@code messaging.destination.partition.id}, cached for
 * the partitions most topics have so that the per-message path does not format an integer.
 */
public final class PartitionIds {

    private static final String[] CACHE = new String[256];

    static {
        for (int i = 0; i < CACHE.length; i++) {
            CACHE[i] = Integer.toString(i);
        }
    }

    private PartitionIds() {
    }

    public static String of(int partition) {
        return partition >= 0 && partition < CACHE.length ? CACHE[partition] : Integer.toString(partition);
    }
}
