package org.tempmail.delivery;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class HeaderRewriterTest {
    private static final byte[] ADDED = "X-Tempmail-To: a@t\nX-Tempmail-Expires: x\n".getBytes(UTF_8);

    /** Each file's Subject field as written, and as it must read after tagging with "[temp]". */
    private static final Map<String, List<String>> TAGGED_SUBJECTS = Map.ofEntries(
            Map.entry("plain.eml", List.of("Subject: Hello there\n", "Subject: [temp] Hello there\n")),
            Map.entry("multipart-attachment.eml",
                    List.of("Subject: Report attached\n", "Subject: [temp] Report attached\n")),
            Map.entry("rfc2047-subject.eml", List.of(
                    "Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=\n =?UTF-8?Q?_und_mehr?=\n",
                    "Subject: [temp] =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=\n =?UTF-8?Q?_und_mehr?=\n")),
            Map.entry("utf8-raw-headers.eml", List.of(latin1("Subject: Grüße aus Köln — ☃\n"),
                    latin1("Subject: [temp] Grüße aus Köln — ☃\n"))),
            // Its DKIM-Signature covers the Subject: a tag would break it.
            Map.entry("folded-headers.eml", List.of(
                    "Subject: A subject that is long enough\n  to be folded over\n\tthree lines\n",
                    "Subject: A subject that is long enough\n  to be folded over\n\tthree lines\n")),
            Map.entry("crlf.eml", List.of("Subject: Windows line ends\r\n", "Subject: [temp] Windows line ends\r\n")),
            Map.entry("no-body.eml", List.of("Subject: Only a header\n", "Subject: [temp] Only a header\n")),
            Map.entry("header-only-no-blank-line.eml",
                    List.of("Subject: Nothing after the header\n", "Subject: [temp] Nothing after the header\n")),
            Map.entry("no-blank-line.eml", List.of("Subject: Body follows without a blank line\n",
                    "Subject: [temp] Body follows without a blank line\n")),
            Map.entry("no-final-newline.eml",
                    List.of("Subject: No final newline\n", "Subject: [temp] No final newline\n")),
            Map.entry("nul-bytes.eml", List.of("Subject: NUL\0 bytes\n", "Subject: [temp] NUL\0 bytes\n")),
            Map.entry("tagged-already.eml", List.of("Subject: Re: [temp] Hello again\n",
                    "Subject: Re: [temp] Hello again\n")));

    static final List<String> FILES = Corpus.FILES;

    @ParameterizedTest
    @FieldSource("FILES")
    void withoutTagOrStripEveryByteAfterTheAddedLinesIsTheOriginal(String file) throws IOException {
        byte[] original = Corpus.read(file);
        byte[] out = rewrite(new HeaderRewriter(Optional.empty(), List.of()), original);
        assertArrayEquals(concat(ADDED, original), out);
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void tagsTheSubjectOnceAndChangesNothingElse(String file) throws IOException {
        byte[] original = Corpus.read(file);
        List<String> subject = TAGGED_SUBJECTS.get(file);
        String text = new String(original, ISO_8859_1);
        int at = text.indexOf(subject.get(0));
        assertTrue(at >= 0, "test data: " + file + " has " + subject.get(0));
        String expected = text.substring(0, at) + subject.get(1) + text.substring(at + subject.get(0).length());

        HeaderRewriter tagging = new HeaderRewriter(Optional.of("[temp]"), List.of());
        byte[] once = rewrite(tagging, original);
        assertEquals(new String(ADDED, ISO_8859_1) + expected, new String(once, ISO_8859_1));

        byte[] twice = rewrite(tagging, once);
        assertEquals(new String(ADDED, ISO_8859_1) + new String(renamedAdded(once), ISO_8859_1),
                new String(twice, ISO_8859_1), "a second pass adds no second tag");
    }

    @Test
    void taggedEncodedSubjectStillDecodesForAMailReader() throws Exception {
        byte[] out = rewrite(new HeaderRewriter(Optional.of("[temp]"), List.of()), Corpus.read("rfc2047-subject.eml"));
        assertEquals("[temp] Grüße aus Köln und mehr", subjectOf(out));
    }

    @Test
    void nonAsciiTagBecomesAnEncodedWordBeforeEncodedAndPlainSubjects() throws Exception {
        HeaderRewriter rewriter = new HeaderRewriter(Optional.of("[tempöräre]"), List.of());
        byte[] encoded = rewrite(rewriter, Corpus.read("rfc2047-subject.eml"));
        assertEquals("[tempöräre] Grüße aus Köln und mehr", subjectOf(encoded));
        byte[] plain = rewrite(rewriter, Corpus.read("plain.eml"));
        assertEquals("[tempöräre] Hello there", subjectOf(plain));
        assertTrue(new String(plain, ISO_8859_1).contains("Subject: =?UTF-8?Q?"), "the tag is encoded, not raw");
        assertArrayEquals(concat(ADDED, renamedAdded(plain)), rewrite(rewriter, plain),
                "an encoded tag is recognised: no second tag");
    }

    @Test
    void stripsNamedFieldsWithTheirContinuationLinesCaseInsensitively() throws IOException {
        byte[] original = Corpus.read("folded-headers.eml");
        byte[] out = rewrite(new HeaderRewriter(Optional.empty(), List.of("x-mailer", "DKIM-Signature")), original);
        String expected = new String(original, ISO_8859_1)
                .replace("X-Mailer: test\n  with folding\n", "")
                .replace("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.net; s=s1;\n"
                        + "\th=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\n\tb=AAAA\n", "");
        assertEquals(new String(ADDED, ISO_8859_1) + expected, new String(out, ISO_8859_1));
    }

    @Test
    void renamesIncomingFieldsOfOurNamespaceInAnyCaseWithTheirFoldingAndNothingInTheBody() throws IOException {
        String message = "From: a@b\nx-tempmail-NOTE: looks\n\tlike ours\nX-Tempmail-Extension: bank\n"
                + "X-Tempmailer: not ours\nX-Tempmail: not ours either\nSubject: s\n\nX-Tempmail-To: body\n";
        byte[] out = rewrite(new HeaderRewriter(Optional.empty(), List.of()), message.getBytes(UTF_8));
        assertEquals(new String(ADDED, UTF_8) + "From: a@b\nX-Incoming-tempmail-NOTE: looks\n\tlike ours\n"
                + "X-Incoming-Tempmail-Extension: bank\nX-Tempmailer: not ours\nX-Tempmail: not ours either\n"
                + "Subject: s\n\nX-Tempmail-To: body\n", new String(out, UTF_8));
    }

    @Test
    void aFieldOfOursListedInStripHeadersIsRemovedRatherThanRenamed() throws IOException {
        byte[] out = rewrite(new HeaderRewriter(Optional.empty(), List.of("X-Tempmail-Note")),
                "X-Tempmail-Note: n\nX-Tempmail-Leak: l\n\nbody\n".getBytes(UTF_8));
        assertEquals(new String(ADDED, UTF_8) + "X-Incoming-Tempmail-Leak: l\n\nbody\n", new String(out, UTF_8));
    }

    /** Issue 10, item 1: the shipped SUBJECT_TAG broke every signature over the Subject. */
    @Test
    void aSubjectThatASignatureCoversIsNotTagged() throws IOException {
        HeaderRewriter tagging = new HeaderRewriter(Optional.of("[temp]"), List.of());
        for (String signature : List.of("DKIM-Signature: v=1; d=example.net;\n h=From : To :\n\tSUBJECT; b=x\n",
                "ARC-Message-Signature: i=1; h=date:subject; b=y\n",
                "dkim-signature: v=1; h=from:to; b=z\nDKIM-Signature: v=1; h=subject:from; b=w\n")) {
            byte[] message = (signature + "Subject: signed\n\nbody\n").getBytes(UTF_8);
            assertArrayEquals(concat(ADDED, message), rewrite(tagging, message), signature);
        }
        byte[] unsigned = "DKIM-Signature: v=1; h=from:to:date; b=x\nSubject: unsigned\n\nbody\n".getBytes(UTF_8);
        assertEquals(new String(ADDED, UTF_8) + "DKIM-Signature: v=1; h=from:to:date; b=x\n"
                + "Subject: [temp] unsigned\n\nbody\n", new String(rewrite(tagging, unsigned), UTF_8));
    }

    @Test
    void stripsNothingInTheBody() throws IOException {
        byte[] original = Corpus.read("no-blank-line.eml");
        byte[] out = rewrite(new HeaderRewriter(Optional.empty(), List.of("Subject")), original);
        String expected = new String(original, ISO_8859_1)
                .replace("Subject: Body follows without a blank line\n", "");
        assertEquals(new String(ADDED, ISO_8859_1) + expected, new String(out, ISO_8859_1));
        assertTrue(expected.contains("Subject: not a header any more\n"));
    }

    @Test
    void aHundredKilobyteHeaderLinePassesThroughAndTheSubjectAfterItIsTagged() throws IOException {
        String longLine = "X-Long: " + "a".repeat(100 * 1024) + "\n";
        byte[] original = (longLine + "Subject: after\n\nbody\n").getBytes(UTF_8);
        byte[] out = rewrite(new HeaderRewriter(Optional.of("[temp]"), List.of()), original);
        assertEquals(new String(ADDED, UTF_8) + longLine + "Subject: [temp] after\n\nbody\n", new String(out, UTF_8));
    }

    @Test
    void aSubjectTooLongToHoldPassesThroughUntagged() throws IOException {
        String subject = "Subject: " + "s".repeat(HeaderRewriter.MAX_TAGGED_SUBJECT) + "\n\tmore\n";
        byte[] original = (subject + "From: a@b\n\nbody\n").getBytes(UTF_8);
        byte[] out = rewrite(new HeaderRewriter(Optional.of("[temp]"), List.of()), original);
        assertArrayEquals(concat(ADDED, original), out);
    }

    /** A signature past the examined part cannot be ruled out, so the Subject there is left alone. */
    @Test
    void aHeaderSectionBeyondTheExaminedPartStreamsThroughWholeAndUntagged() throws IOException {
        StringBuilder header = new StringBuilder();
        for (int i = 0; header.length() < 3 * MessageHead.EXAMINED_HEADER_BYTES; i++) {
            header.append("X-Filler-").append(i).append(": ").append("f".repeat(200)).append('\n');
        }
        byte[] original = (header + "Subject: late\n\nbody").getBytes(UTF_8);
        MessageHead head = MessageHead.read(new ByteArrayInputStream(original));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new HeaderRewriter(Optional.of("[temp]"), List.of()).rewrite(head, out, ADDED);
        assertEquals(new String(ADDED, UTF_8) + header + "Subject: late\n\nbody", out.toString(UTF_8));
    }

    static String subjectOf(byte[] message) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message)).getSubject();
    }

    static byte[] rewrite(HeaderRewriter rewriter, byte[] message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        rewriter.rewrite(MessageHead.read(new ByteArrayInputStream(message)), out, ADDED);
        return out.toByteArray();
    }

    /** A message that went through once, as a second pass passes it on: with our earlier fields renamed. */
    private static byte[] renamedAdded(byte[] rewritten) {
        String text = new String(rewritten, ISO_8859_1);
        assertTrue(text.startsWith(new String(ADDED, ISO_8859_1)), text);
        return ("X-Incoming-Tempmail-To: a@t\nX-Incoming-Tempmail-Expires: x\n" + text.substring(ADDED.length))
                .getBytes(ISO_8859_1);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String latin1(String text) {
        return new String(text.getBytes(UTF_8), ISO_8859_1);
    }
}
