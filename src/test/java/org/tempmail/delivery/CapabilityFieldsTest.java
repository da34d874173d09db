package org.tempmail.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.internet.MimeUtility;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CapabilityFieldsTest {
    @Test
    void anAsciiNoteIsWrittenAsIs() {
        assertEquals(List.of("X-Tempmail-Note: shop.example, order 1234"),
                CapabilityFields.lines("shop.example, order 1234", "news@shop.example",
                        Optional.of("news@shop.example")));
    }

    @Test
    void aNoteOutsideAsciiIsEncodedAndDecodesBack() throws Exception {
        String line = CapabilityFields.lines("Bäckerei Müller", "a@b.example", Optional.of("a@b.example")).get(0);
        assertTrue(line.matches("X-Tempmail-Note: =\\?UTF-8\\?Q\\?[!-~ ]+\\?="), line);
        assertEquals("Bäckerei Müller", MimeUtility.decodeText(line.substring(line.indexOf(':') + 2)));
    }

    @Test
    void aNoteCannotInjectAField() {
        List<String> lines = CapabilityFields.lines("shop\r\nBcc: victim@example.org", "", Optional.empty());
        assertEquals(List.of("X-Tempmail-Note: shop Bcc: victim@example.org"), lines);
    }

    @Test
    void aLongNoteIsFoldedIntoShortLines() {
        String line = CapabilityFields.lines("word ".repeat(40), "", Optional.empty()).get(0);
        for (String physical : line.split("\r\n")) {
            assertTrue(physical.length() <= 78, physical);
        }
        assertTrue(line.contains("\r\n "), "folded with CRLF and a blank: " + line);
    }

    @Test
    void mailFromAnotherDomainThanTheFirstSenderIsMarkedAsALeak() {
        assertEquals(List.of("X-Tempmail-Note: shop", "X-Tempmail-Leak: first used by shop.example"),
                CapabilityFields.lines("shop", "offers@Spammer.example", Optional.of("news@SHOP.example")));
        assertEquals(List.of("X-Tempmail-Note: shop"),
                CapabilityFields.lines("shop", "billing@shop.EXAMPLE", Optional.of("news@shop.example")));
        assertEquals(List.of("X-Tempmail-Note: shop"),
                CapabilityFields.lines("shop", "", Optional.of("news@shop.example")), "the null sender");
        assertFalse(CapabilityFields.lines("", "x@other.example", Optional.empty()).stream()
                .anyMatch(l -> l.startsWith("X-Tempmail-Leak")), "no first sender yet");
        assertEquals(List.of(), CapabilityFields.lines("", "x@other.example", Optional.empty()));
    }
}
