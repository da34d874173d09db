package org.tempmail.socketmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetstringDecoderTest {

    private static List<String> decodeAll(NetstringDecoder decoder, String input) throws NetstringException {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        List<String> payloads = new ArrayList<>();
        int position = 0;
        while (position < bytes.length) {
            position += decoder.feed(bytes, position, bytes.length - position);
            if (decoder.hasPayload()) {
                payloads.add(new String(decoder.take(), StandardCharsets.ISO_8859_1));
            }
        }
        return payloads;
    }

    @Test
    void decodesSeveralNetstringsFromOneRead() throws Exception {
        assertEquals(List.of("rcpt a@b", "", "transport *"),
                decodeAll(new NetstringDecoder(512), "8:rcpt a@b,0:,11:transport *,"));
    }

    @Test
    void decodesANetstringFedOneByteAtATime() throws Exception {
        NetstringDecoder decoder = new NetstringDecoder(512);
        byte[] bytes = "12:tempmail x@y,".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length; i++) {
            assertFalse(decoder.hasPayload(), "complete too early at byte " + i);
            assertEquals(1, decoder.feed(bytes, i, 1));
            assertTrue(decoder.isMidNetstring() || i == bytes.length - 1, "not mid-netstring after byte " + i);
        }
        assertTrue(decoder.hasPayload());
        assertEquals("tempmail x@y", new String(decoder.take(), StandardCharsets.US_ASCII));
        assertFalse(decoder.isMidNetstring());
    }

    @Test
    void stopsAtTheEndOfTheFirstNetstring() throws Exception {
        NetstringDecoder decoder = new NetstringDecoder(512);
        byte[] bytes = "1:a,1:b,".getBytes(StandardCharsets.US_ASCII);
        assertEquals(4, decoder.feed(bytes, 0, bytes.length));
        assertArrayEquals(new byte[] {'a'}, decoder.take());
    }

    @Test
    void keepsEightBitAndNulBytes() throws Exception {
        NetstringDecoder decoder = new NetstringDecoder(512);
        byte[] bytes = {'3', ':', 0, (byte) 0xff, 'x', ','};
        decoder.feed(bytes, 0, bytes.length);
        assertArrayEquals(new byte[] {0, (byte) 0xff, 'x'}, decoder.take());
    }

    @Test
    void acceptsExactlyTheLimit() throws Exception {
        assertEquals(List.of("x".repeat(16)), decodeAll(new NetstringDecoder(16), "16:" + "x".repeat(16) + ","));
    }

    @Test
    void refusesALengthOverTheLimitBeforeItsPayloadArrives() {
        NetstringException error = assertThrows(NetstringException.class,
                () -> decodeAll(new NetstringDecoder(16), "17:"));
        assertEquals("netstring longer than 16 bytes", error.getMessage());
    }

    @Test
    void refusesAnEndlessLength() {
        assertThrows(NetstringException.class, () -> decodeAll(new NetstringDecoder(512), "9".repeat(30)));
        assertThrows(NetstringException.class, () -> decodeAll(new NetstringDecoder(512), "0".repeat(30)));
    }

    @Test
    void refusesGarbage() {
        NetstringException error = assertThrows(NetstringException.class,
                () -> decodeAll(new NetstringDecoder(512), "GET / HTTP/1.0\r\n"));
        assertEquals("malformed netstring: expected a length, got 'G'", error.getMessage());
        assertThrows(NetstringException.class, () -> decodeAll(new NetstringDecoder(512), ":abc,"));
        assertThrows(NetstringException.class, () -> decodeAll(new NetstringDecoder(512), "-1:"));
        assertThrows(NetstringException.class, () -> decodeAll(new NetstringDecoder(512), "3 :abc,"));
    }

    @Test
    void refusesAMissingComma() {
        NetstringException error = assertThrows(NetstringException.class,
                () -> decodeAll(new NetstringDecoder(512), "3:abcd"));
        assertEquals("malformed netstring: no ',' after 3 bytes", error.getMessage());
    }

    @Test
    void describesBinaryGarbage() {
        NetstringException error = assertThrows(NetstringException.class,
                () -> decodeAll(new NetstringDecoder(512), "\u0000"));
        assertEquals("malformed netstring: expected a length, got byte 0x00", error.getMessage());
    }

    @Test
    void encodesReplies() {
        assertArrayEquals("9:NOTFOUND ,".getBytes(StandardCharsets.US_ASCII), Netstring.encode("NOTFOUND "));
        assertArrayEquals("0:,".getBytes(StandardCharsets.US_ASCII), Netstring.encode(""));
        assertArrayEquals("5:OK \u00c3\u00a9,".getBytes(StandardCharsets.ISO_8859_1), Netstring.encode("OK \u00e9"));
    }
}
