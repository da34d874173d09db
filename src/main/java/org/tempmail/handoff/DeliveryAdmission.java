package org.tempmail.handoff;

/**
 * How many handed-over deliveries the heap can carry at once. Each one holds at most a bounded number of bytes
 * (the examined header, the field being parsed, a Subject to tag, copy buffers), so reserving that much per
 * delivery out of half the heap means a burst of large headers can never exhaust it: the other half stays for
 * the socketmap, which must keep answering. Deliveries past the limit are declined and run in their own process.
 */
public final class DeliveryAdmission {
    /** Heap one delivery may need at its worst: a 1 MiB header examined, with copies while it is read and parsed. */
    public static final long BYTES_PER_DELIVERY = 6L * 1024 * 1024;

    private DeliveryAdmission() {
    }

    /** At most {@code wanted}, at least one. */
    public static int slots(int wanted, long maxHeapBytes) {
        long affordable = maxHeapBytes / 2 / BYTES_PER_DELIVERY;
        return (int) Math.max(1, Math.min(wanted, affordable));
    }
}
