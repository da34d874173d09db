package org.tempmail.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SignedFieldsTest {
    @Test
    void readsTheFieldNamesOfTheHTagWhateverTheirCaseSpacingAndFolding() {
        assertEquals(Set.of("from", "to", "subject", "date", "message-id"), SignedFields.namesIn(
                " v=1; a=rsa-sha256; d=example.net; s=s1; h=From : To :\t subject:DATE:\tMessage-ID ; bh=x; b=y"));
        assertEquals(Set.of("from", "subject"), SignedFields.namesIn("v=1;  h = from:subject:  ;b=x"));
        assertEquals(Set.of("subject"), SignedFields.namesIn("v=1; H=Subject"), "a stricter reading is no safer");
    }

    @Test
    void otherTagsAndValuesAreNoFieldNames() {
        assertEquals(Set.of(), SignedFields.namesIn("v=1; bh=subject; z=Subject:x|To:y; b=h=subject"));
        assertEquals(Set.of(), SignedFields.namesIn("no tags at all"));
    }

    @Test
    void coversTheFieldsOfEverySignatureInAnyCase() {
        SignedFields signed = SignedFields.of(Stream.of("v=1; h=from:to", "i=1; h=subject"));
        assertTrue(signed.covers("Subject"));
        assertTrue(signed.covers("FROM"));
        assertFalse(signed.covers("Date"));
        assertFalse(SignedFields.of(Stream.empty()).covers("Subject"));
    }

    @Test
    void findsDkimArcAndDomainKeysSignaturesInTheHeaderButNotInTheBody() throws IOException {
        assertTrue(of("DKIM-Signature: v=1;\n\th=from:\n subject; b=x\nSubject: s\n\nb\n").covers("subject"));
        assertTrue(of("ARC-Message-Signature: i=1; h=subject\n\nb\n").covers("subject"));
        assertTrue(of("DomainKey-Signature: a=rsa-sha1; h=subject\n\nb\n").covers("subject"));
        assertFalse(of("ARC-Seal: i=1; h=subject\nSubject: s\n\nb\n").covers("subject"), "a seal names no fields");
        assertFalse(of("Subject: s\n\nDKIM-Signature: v=1; h=subject\n").covers("subject"));
    }

    @Test
    void aHeaderLongerThanTheExaminedPartCountsAsSigningEveryField() throws IOException {
        String filler = ("X-Filler: " + "f".repeat(200) + "\n").repeat(MessageHead.EXAMINED_HEADER_BYTES / 200);
        assertTrue(of(filler + "Subject: s\n\nb\n").covers("Subject"), "a signature may lie past the examined part");
    }

    private static SignedFields of(String message) throws IOException {
        return SignedFields.of(MessageHead.read(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8))));
    }
}
