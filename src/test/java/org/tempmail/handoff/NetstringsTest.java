package org.tempmail.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetstringsTest {
    private static ByteArrayInputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRequestSurvivesTheRoundTripWithEmptyAndNonAsciiFields() throws IOException {
        HandoffRequest request = new HandoffRequest("/etc/postfix/tempmail.cf", "",
                List.of("--sender", "", "--recipient", "Zoë@temp.example.org", "--queue-id", "4AbC"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        request.writeTo(out);
        assertEquals(request, HandoffRequest.readFrom(new ByteArrayInputStream(out.toByteArray())));
    }

    @Test
    void readsOneNetstringAndLeavesTheRest() throws IOException {
        ByteArrayInputStream in = bytes("5:hello,0:,rest");
        assertEquals("hello", Netstrings.read(in, 10));
        assertEquals("", Netstrings.read(in, 10));
        assertEquals("rest", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void refusesMalformedOrOverlongNetstrings() {
        assertEquals("malformed netstring length",
                assertThrows(HandoffException.class, () -> Netstrings.read(bytes("x:abc,"), 10)).getMessage());
        assertEquals("malformed netstring length",
                assertThrows(HandoffException.class, () -> Netstrings.read(bytes(":,"), 10)).getMessage());
        assertEquals("malformed netstring length",
                assertThrows(HandoffException.class, () -> Netstrings.read(bytes("9999999999:"), 10)).getMessage());
        assertEquals("netstring of 11 bytes exceeds the limit of 10",
                assertThrows(HandoffException.class, () -> Netstrings.read(bytes("11:"), 10)).getMessage());
        assertEquals("netstring not terminated by a comma",
                assertThrows(HandoffException.class, () -> Netstrings.read(bytes("3:abc;"), 10)).getMessage());
        assertThrows(EOFException.class, () -> Netstrings.read(bytes("3:ab"), 10));
        assertThrows(EOFException.class, () -> Netstrings.read(bytes(""), 10));
    }

    @Test
    void refusesAnotherProtocolAndAbsurdArgumentCounts() {
        assertEquals("not a tempmail deliver client (greeting \"GET / HTTP/1.1\")",
                assertThrows(HandoffException.class,
                        () -> HandoffRequest.readFrom(bytes("14:GET / HTTP/1.1,"))).getMessage());
        assertEquals("argument count 65 is out of range 0..64",
                assertThrows(HandoffException.class,
                        () -> HandoffRequest.readFrom(bytes("18:tempmail-deliver 2,1:/,0:,2:65,"))).getMessage());
        assertEquals("argument count \"many\" is not a number",
                assertThrows(HandoffException.class,
                        () -> HandoffRequest.readFrom(bytes("18:tempmail-deliver 2,1:/,0:,4:many,"))).getMessage());
    }
}
