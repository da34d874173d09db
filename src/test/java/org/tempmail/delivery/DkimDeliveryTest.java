package org.tempmail.delivery;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.Config;
import org.tempmail.config.ConfigLoader;
import org.tempmail.testsupport.DkimTool;

/**
 * Issue 10, item 1: a message signed with DKIM or ARC still verifies after delivery with the shipped settings
 * (tempmail.cf.example, SUBJECT_TAG="[temp]"), checked with a real signer and verifier (dkimpy). The signature is
 * made before the message reaches Postfix; pipe(8) puts Return-Path and Delivered-To on top, as it does.
 */
class DkimDeliveryTest {
    private static final Instant ARRIVAL = Instant.parse("2026-11-22T08:15:00Z");
    private static final List<String> CANONICALIZATIONS =
            List.of("relaxed/relaxed", "relaxed/simple", "simple/simple", "simple/relaxed");
    private static final String[] WITH_SUBJECT = {"from", "to", "subject", "date", "message-id"};
    private static final String[] WITHOUT_SUBJECT = {"from", "to", "date", "message-id"};
    /** As rspamd signs by default: each field listed once more than present, so that none can be added. */
    private static final String[] OVERSIGNED = {"from", "from", "to", "to", "subject", "subject", "date",
        "message-id", "message-id"};
    private static final List<String> CORPUS = List.of("plain.eml", "multipart-attachment.eml",
            "rfc2047-subject.eml", "utf8-raw-headers.eml", "crlf.eml", "no-final-newline.eml", "tagged-already.eml");

    private static DkimTool dkim;
    private static Config shipped;
    private static String address;

    @BeforeAll
    static void start() throws Exception {
        dkim = DkimTool.start();
        shipped = ConfigLoader.load(Path.of("tempmail.cf.example"));
        address = DatedAddressResolver.from(shipped.addresses()).addressOf(LocalDate.of(2026, 11, 22));
    }

    @AfterAll
    static void stop() throws Exception {
        if (dkim != null) {
            dkim.close();
        }
    }

    @Test
    void theShippedSettingsTagTheSubject() {
        assertEquals(Optional.of("[temp]"), shipped.delivery().subjectTag(), "the case this test is about");
        assertEquals(List.of(), shipped.delivery().stripHeaders());
    }

    @Test
    void theVerifierNoticesATaggedSubject() {
        byte[] signed = dkim.sign(message("\n"), "relaxed/relaxed", WITH_SUBJECT);
        assertEquals(List.of("pass"), dkim.verify(signed));
        String tagged = new String(signed, ISO_8859_1).replace("Subject: Your order", "Subject: [temp] Your order");
        assertEquals(List.of("fail"), dkim.verify(tagged.getBytes(ISO_8859_1)));
    }

    @Test
    void aSignatureOverTheSubjectVerifiesAfterDeliveryAndTheSubjectIsLeftAlone() throws IOException {
        List<String> checked = new ArrayList<>();
        for (byte[] message : messages()) {
            for (String canonicalization : CANONICALIZATIONS) {
                for (String[] fields : List.of(WITH_SUBJECT, OVERSIGNED)) {
                    byte[] signed = atPipe(dkim.sign(message, canonicalization, fields));
                    String what = canonicalization + " " + String.join(":", fields) + "\n"
                            + new String(signed, ISO_8859_1);
                    assertEquals(List.of("pass"), dkim.verify(signed), "before delivery: " + what);

                    byte[] delivered = deliver(signed);

                    assertEquals(List.of("pass"), dkim.verify(delivered), "after delivery: " + what);
                    assertArrayEquals(signed, withoutAddedLines(delivered, signed), "changed: " + what);
                    checked.add(what);
                }
            }
        }
        assertEquals((CORPUS.size() + 2) * CANONICALIZATIONS.size() * 2, checked.size());
    }

    @Test
    void aSignatureThatLeavesOutTheSubjectVerifiesAfterTheSubjectIsTagged() throws IOException {
        for (byte[] message : messages()) {
            for (String canonicalization : CANONICALIZATIONS) {
                byte[] signed = atPipe(dkim.sign(message, canonicalization, WITHOUT_SUBJECT));
                String what = canonicalization + "\n" + new String(signed, ISO_8859_1);

                byte[] delivered = deliver(signed);

                assertEquals(List.of("pass"), dkim.verify(delivered), what);
                String subject = MessageHead.read(new ByteArrayInputStream(delivered)).first("Subject")
                        .orElseThrow().value();
                assertTrue(subject.contains("[temp]"), "tagged: " + subject + "\n" + what);
            }
        }
    }

    @Test
    void anArcSetOverTheSubjectValidatesAfterDeliveryAndOneWithoutItToo() throws IOException {
        byte[] sealed = atPipe(dkim.arcSign(message("\n"), WITH_SUBJECT));
        assertEquals("pass", dkim.arcVerify(sealed));
        byte[] delivered = deliver(sealed);
        assertEquals("pass", dkim.arcVerify(delivered));
        assertArrayEquals(sealed, withoutAddedLines(delivered, sealed));

        byte[] sealedWithoutSubject = atPipe(dkim.arcSign(message("\r\n"), WITHOUT_SUBJECT));
        byte[] tagged = deliver(sealedWithoutSubject);
        assertEquals("pass", dkim.arcVerify(tagged));
        assertTrue(new String(tagged, ISO_8859_1).contains("\r\nSubject: [temp] Your order"));
    }

    /** A list or forwarder that seals what an author signed: each signature keeps its fields. */
    @Test
    void severalSignaturesAllVerifyWhenAnyOfThemCoversTheSubject() throws IOException {
        byte[] authorSigned = dkim.sign(message("\n"), "relaxed/relaxed", WITHOUT_SUBJECT);
        byte[] listSigned = atPipe(dkim.arcSign(dkim.sign(authorSigned, "simple/simple", WITH_SUBJECT),
                WITHOUT_SUBJECT));
        assertEquals(List.of("pass", "pass"), dkim.verify(listSigned));

        byte[] delivered = deliver(listSigned);

        assertEquals(List.of("pass", "pass"), dkim.verify(delivered));
        assertEquals("pass", dkim.arcVerify(delivered));
        assertArrayEquals(listSigned, withoutAddedLines(delivered, listSigned));
    }

    /**
     * Issue 10, item 2, with a signature: forged fields of ours that the signature does not cover are renamed
     * and the signature holds. A signature that covers one (only a forger's would) is broken by the renaming:
     * the README names this as the one change made to a signed field.
     */
    @Test
    void forgedFieldsAreRenamedInASignedMessage() throws IOException {
        String forged = "X-Tempmail-To: " + address + "\nX-Tempmail-Note: your bank, please log in\n";
        byte[] message = (forged + new String(message("\n"), ISO_8859_1)).getBytes(ISO_8859_1);

        byte[] delivered = deliver(atPipe(dkim.sign(message, "relaxed/relaxed", WITH_SUBJECT)));

        assertEquals(List.of("pass"), dkim.verify(delivered));
        MessageHead head = MessageHead.read(new ByteArrayInputStream(delivered));
        assertEquals(List.of(address), head.fields("X-Tempmail-To").map(HeaderField::address).toList());
        assertEquals(List.of(), head.fields("X-Tempmail-Note").toList(), "no note of ours for a dated address");
        assertEquals(List.of(" your bank, please log in"),
                head.fields("X-Incoming-Tempmail-Note").map(HeaderField::value).toList());

        byte[] forgerSigned = deliver(atPipe(dkim.sign(message, "relaxed/relaxed", "from", "x-tempmail-note")));
        assertEquals(List.of("fail"), dkim.verify(forgerSigned));
        assertFalse(new String(forgerSigned, ISO_8859_1).contains("\nX-Tempmail-Note:"));
    }

    private static List<byte[]> messages() {
        List<byte[]> messages = new ArrayList<>(List.of(message("\n"), message("\r\n")));
        CORPUS.forEach(file -> messages.add(Corpus.read(file)));
        return messages;
    }

    /** What a sender's signer signs: the fields a signer lists, 8-bit text, trailing blanks, a long line. */
    private static byte[] message(String eol) {
        String text = "Received: from mail.example.net (mail.example.net [192.0.2.10])\n"
                + "\tby mx.example.org (Postfix) with ESMTPS id 4AbCd1234\n"
                + "\tfor <" + address + ">; Sun, 22 Nov 2026 09:15:00 +0100 (CET)\n"
                + "Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.net\n"
                + "From: Alice <alice@example.net>\nTo: <" + address + ">\n"
                + "Subject: Your order 1234, =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\n"
                + "Date: Sun, 22 Nov 2026 09:14:00 +0100\nMessage-ID: <order-1234@example.net>\n"
                + "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n"
                + "Grüße,  \n\ttrailing blanks and tabs\t \n.\n" + "x".repeat(900) + "\n\n\n";
        return text.replace("\n", eol).getBytes(UTF_8);
    }

    /** pipe(8)'s R and D flags put these on top before deliver reads the message. */
    private static byte[] atPipe(byte[] signed) {
        String eol = lineEnding(signed);
        byte[] top = ("Return-Path: <alice@example.net>" + eol + "Delivered-To: " + address + eol).getBytes(UTF_8);
        byte[] all = new byte[top.length + signed.length];
        System.arraycopy(top, 0, all, 0, top.length);
        System.arraycopy(signed, 0, all, top.length, signed.length);
        return all;
    }

    /** Delivers as tempmail deliver does with the shipped settings; returns what sendmail got. */
    private static byte[] deliver(byte[] message) throws IOException {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        Submitter sendmail = (sender, recipient, writer) -> {
            try {
                writer.writeTo(sent);
            } catch (IOException e) {
                throw new SubmissionException(e.getMessage());
            }
        };
        Deliverer deliverer = new Deliverer(DatedAddressResolver.from(shipped.addresses()),
                shipped.addresses().zone(),
                new HeaderRewriter(shipped.delivery().subjectTag(), shipped.delivery().stripHeaders()), sendmail,
                Clock.fixed(ARRIVAL, ZoneOffset.UTC));
        DeliveryOutcome outcome = deliverer.deliver(new DeliveryRequest("alice@example.net", address,
                Optional.of("4AbCd1234"), Optional.empty()), new ByteArrayInputStream(message));
        assertEquals(0, outcome.exitStatus(), outcome.statusLine());
        return sent.toByteArray();
    }

    /** The delivered message without the lines delivery put on top, which must be the only ones added. */
    private static byte[] withoutAddedLines(byte[] delivered, byte[] original) {
        String text = new String(delivered, ISO_8859_1);
        String eol = lineEnding(original);
        String added = "X-Tempmail-To: " + address + eol;
        assertTrue(text.startsWith(added), text);
        int end = added.length();
        while (text.startsWith("X-Tempmail-", end)) {
            end = text.indexOf(eol, end) + eol.length();
        }
        return text.substring(end).getBytes(ISO_8859_1);
    }

    private static String lineEnding(byte[] message) {
        int lf = new String(message, ISO_8859_1).indexOf('\n');
        return lf > 0 && message[lf - 1] == '\r' ? "\r\n" : "\n";
    }
}
