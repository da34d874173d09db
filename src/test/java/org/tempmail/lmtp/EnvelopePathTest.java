package org.tempmail.lmtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopePathTest {
    @Test
    void addressAndParametersAreRead() {
        EnvelopePath path = EnvelopePath.parse("FROM:<a@example.net> size=4096 BODY=8BITMIME", "FROM:").orElseThrow();
        assertEquals("a@example.net", path.address());
        assertEquals(Map.of("SIZE", "4096", "BODY", "8BITMIME"), path.parameters());
    }

    @Test
    void theNullSenderAndAnyCaseAndASpaceAfterTheColonAreTaken() {
        assertEquals("", EnvelopePath.parse("from: <>", "FROM:").orElseThrow().address());
        assertEquals("x@y", EnvelopePath.parse("To:<x@y>", "TO:").orElseThrow().address());
    }

    @Test
    void aQuotedLocalPartStaysQuotedAndMayHoldABracket() {
        assertEquals("\"my >shop\"@t.example", EnvelopePath.parse("TO:<\"my >shop\"@t.example>", "TO:")
                .orElseThrow().address());
    }

    @Test
    void malformedArgumentsAreRefused() {
        for (String bad : new String[] {"", "TO:", "TO:x@y", "TO:<x@y", "FROM:<x@y>", "TO:<x@y> =1"}) {
            assertTrue(EnvelopePath.parse(bad, "TO:").isEmpty(), bad);
        }
    }
}
