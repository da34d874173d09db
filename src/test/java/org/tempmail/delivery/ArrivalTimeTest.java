package org.tempmail.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArrivalTimeTest {
    @Test
    void takesTheDateOfTheReceivedFieldNamingTheQueueId() throws IOException {
        List<HeaderField> fields = MessageHead.read(new ByteArrayInputStream(Corpus.read("plain.eml"))).fields().toList();
        assertEquals(Optional.of(Instant.parse("2026-11-22T08:15:00Z")), ArrivalTime.from(fields, "4AbCd1234"));
        assertEquals(Optional.empty(), ArrivalTime.from(fields, "4AbCd123"), "a prefix of the id is another id");
        assertEquals(Optional.empty(), ArrivalTime.from(fields, "4abcd1234"), "queue ids are case-sensitive");
        assertEquals(Optional.empty(), ArrivalTime.from(fields, null));
    }

    @Test
    void skipsOtherHopsAndReadsLocalSubmissions() {
        List<HeaderField> fields = List.of(
                new HeaderField("Received", " by mx.example.org (Postfix, from userid 1000) id 4Xyz; "
                        + "Mon, 23 Nov 2026 00:00:01 +0000"),
                new HeaderField("Received", " from a by b (Postfix) with ESMTP id 4Abc for <x@y>; "
                        + "Sun, 22 Nov 2026 23:59:59 -0100"));
        assertEquals(Optional.of(Instant.parse("2026-11-23T00:00:01Z")), ArrivalTime.from(fields, "4Xyz"));
        assertEquals(Optional.of(Instant.parse("2026-11-23T00:59:59Z")), ArrivalTime.from(fields, "4Abc"));
    }

    @Test
    void unreadableDateGivesNothing() {
        List<HeaderField> fields = List.of(new HeaderField("Received", " by b id 4Abc; yesterday at noon"));
        assertEquals(Optional.empty(), ArrivalTime.from(fields, "4Abc"));
    }

    @Test
    void datesAreReadLenientlyAndWrittenWithANumericZone() {
        assertEquals(Optional.of(Instant.parse("2026-11-22T08:15:00Z")),
                MailDates.parse(" Sun,  22 Nov 2026 09:15:00 +0100 (CET)"));
        assertEquals(Optional.of(Instant.parse("2026-11-02T08:15:00Z")), MailDates.parse("2 Nov 2026 08:15 GMT"));
        assertEquals(Optional.of(Instant.parse("2026-11-02T08:15:00Z")), MailDates.parse("2 Nov 2026 08:15:00 UT"));
        assertEquals("Sun, 22 Nov 2026 09:15:00 +0100",
                MailDates.format(Instant.parse("2026-11-22T08:15:00Z"), ZoneId.of("Europe/Berlin")));
        assertEquals("Sun, 22 Nov 2026 08:15:00 +0000", MailDates.format(Instant.parse("2026-11-22T08:15:00Z"),
                ZoneId.of("UTC")));
        assertEquals("Sat, 7 Feb 2026 03:15:09 -0430", MailDates.format(Instant.parse("2026-02-07T07:45:09Z"),
                ZoneOffset.ofHoursMinutes(-4, -30)));
    }

    @Test
    void theQueueIdMustFollowTheWordIdAndEndAtSpaceSemicolonOrTheEnd() {
        assertTrue(ArrivalTime.namesQueueId("from x by mx (Postfix) with ESMTP id 4Abc", "4Abc"));
        assertTrue(ArrivalTime.namesQueueId("by mx (Postfix) ID\t\r\n 4Abc for <a@b>", "4Abc"));
        assertTrue(ArrivalTime.namesQueueId("id 4Abc;", "4Abc"));
        assertFalse(ArrivalTime.namesQueueId("by mx with ESMTPid 4Abc", "4Abc"), "id must be a word of its own");
        assertFalse(ArrivalTime.namesQueueId("by mx with id4Abc", "4Abc"), "white space between");
        assertFalse(ArrivalTime.namesQueueId("by mx with id 4Abcd", "4Abc"));
        assertFalse(ArrivalTime.namesQueueId("by mx with id 4Abc.x", "4Abc"));
        assertFalse(ArrivalTime.namesQueueId("by mx with id x4Abc", "4Abc"));
        assertTrue(ArrivalTime.namesQueueId("id 4Xyz, id 4Abc", "4Abc"), "any of several");
        assertFalse(ArrivalTime.namesQueueId("id", "4Abc"));
    }
}
