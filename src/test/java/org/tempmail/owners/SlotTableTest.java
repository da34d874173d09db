package org.tempmail.owners;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SlotTableTest {
    /** A hash whose home slot in a table of 16 is {@code home}, distinct by {@code tag}. */
    private static long hash(int home, int tag) {
        return (long) tag << 8 | home;
    }

    @Test
    void removingAnEntryShiftsBackTheOnesThatProbedPastItAndOnlyThose() {
        SlotTable table = new SlotTable(16);
        // Three entries at home 14 run over the end into 0; one at home 15 and one at home 0 follow them.
        long[] hashes = {hash(14, 1), hash(14, 2), hash(14, 3), hash(15, 4), hash(0, 5), hash(3, 6)};
        for (int i = 0; i < hashes.length; i++) {
            assertEquals(SlotTable.NONE, table.insert(hashes[i], i, 20_000, 0));
        }
        assertEquals(SlotTable.Removed.REMOVED, table.remove(hashes[0], 0));
        for (int i = 1; i < hashes.length; i++) {
            assertEquals(i, table.holderAt(hashes[i]), "entry " + i + " is still found");
        }
        assertEquals(SlotTable.NONE, table.holderAt(hashes[0]));
        assertEquals(SlotTable.Removed.ABSENT, table.remove(hashes[0], 0));
        assertEquals(SlotTable.Removed.ABSENT, table.remove(hashes[1], 9), "another holder's entry stays");
        for (int i = 1; i < hashes.length; i++) {
            assertEquals(SlotTable.Removed.REMOVED, table.remove(hashes[i], i));
        }
        for (int slot = 0; slot < 16; slot++) {
            assertEquals(SlotTable.EMPTY, table.slots[2 * slot], "slot " + slot + " is empty again");
        }
    }

    @Test
    void aSecondHolderOfAHashMakesItACollisionThatARemovalLeavesAlone() {
        SlotTable table = new SlotTable(16);
        assertEquals(SlotTable.NONE, table.insert(hash(2, 1), 0, 20_000, 0));
        assertEquals(0, table.insert(hash(2, 1), 0, 20_000, 0), "its own again");
        assertEquals(0, table.insert(hash(2, 1), 1, 20_000, 0));
        assertEquals(SlotTable.COLLISION, table.holderAt(hash(2, 1)));
        assertEquals(SlotTable.COLLISION, table.insert(hash(2, 1), 2, 20_000, 0));
        assertEquals(SlotTable.Removed.COLLISION, table.remove(hash(2, 1), 0));
    }
}
