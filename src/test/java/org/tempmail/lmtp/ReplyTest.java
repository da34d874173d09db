package org.tempmail.lmtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyTest {
    private static String wire(Reply reply) {
        return new String(reply.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void oneLineCarriesItsEnhancedCode() {
        assertEquals("550 5.1.1 <x@y>: no such address\r\n", wire(Reply.of(550, "5.1.1", "<x@y>: no such address")));
        assertEquals("220 host LMTP\r\n", wire(Reply.of(220, "", "host LMTP")));
    }

    @Test
    void severalLinesAreJoinedWithDashesUntilTheLast() {
        assertEquals("250-host\r\n250-PIPELINING\r\n250 SIZE 10\r\n",
                wire(new Reply(250, "", List.of("host", "PIPELINING", "SIZE 10"))));
    }

    @Test
    void lineBreaksInATextCannotForgeAnotherReply() {
        assertEquals("451 4.3.0 a  250 2.0.0 ok\r\n", wire(Reply.of(451, "4.3.0", "a\r\n250 2.0.0 ok")));
    }

    @Test
    void codesOutsideTheRangeAreABug() {
        assertThrows(IllegalArgumentException.class, () -> Reply.of(99, "", "x"));
    }
}
