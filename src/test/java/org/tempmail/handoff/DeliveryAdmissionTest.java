package org.tempmail.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DeliveryAdmissionTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void halfTheHeapIsSharedOutAtTheWorstCaseOfEachDelivery() {
        assertEquals(21, DeliveryAdmission.slots(32, 256 * MIB), "the launcher's -Xmx256m");
        assertEquals(5, DeliveryAdmission.slots(32, 64 * MIB));
        assertEquals(32, DeliveryAdmission.slots(32, 4096 * MIB), "never more than asked for");
        assertEquals(1, DeliveryAdmission.slots(32, 8 * MIB), "at least one, or nothing is handed over");
    }
}
