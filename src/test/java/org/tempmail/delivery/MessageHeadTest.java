package org.tempmail.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageHeadTest {
    @Test
    void readsUnfoldedFieldsAndGivesTheWholeMessageBack() throws IOException {
        byte[] original = Corpus.read("folded-headers.eml");
        MessageHead head = MessageHead.read(new ByteArrayInputStream(original));
        assertEquals(new HeaderField("Subject", " A subject that is long enough  to be folded over\tthree lines"),
                head.first("subject").orElseThrow());
        assertEquals("<alice@example.net>", head.first("Return-Path").orElseThrow().value().strip());
        assertArrayEquals(original, head.message().readAllBytes());
    }

    @Test
    void readingTheMessageToItsEndLeavesTheSourceOpen() throws IOException {
        boolean[] closed = {false};
        ByteArrayInputStream source = new ByteArrayInputStream("A: 1\n\nbody\n".getBytes(UTF_8)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        MessageHead.read(source).message().transferTo(java.io.OutputStream.nullOutputStream());
        assertEquals(false, closed[0], "the caller's stream was closed");
    }

    @Test
    void takesTheLineEndingFromTheFirstLine() throws IOException {
        assertArrayEquals("\r\n".getBytes(UTF_8), head(Corpus.read("crlf.eml")).lineEnding());
        assertArrayEquals("\n".getBytes(UTF_8), head(Corpus.read("plain.eml")).lineEnding());
        assertEquals("Windows line ends", head(Corpus.read("crlf.eml")).first("Subject").orElseThrow().value().strip());
    }

    @Test
    void stopsAtTheBlankLineAndAtTheFirstLineThatIsNoField() throws IOException {
        MessageHead head = head("A: 1\nB: 2\n\nC: 3\n".getBytes(UTF_8));
        assertEquals(List.of("A", "B"), head.fields().map(HeaderField::name).toList());
        MessageHead noBlank = head("A: 1\nnot a field\nB: 2\n".getBytes(UTF_8));
        assertEquals(List.of("A"), noBlank.fields().map(HeaderField::name).toList());
    }

    @Test
    void examinesOnlyCompleteFieldsWithinTheLimit() throws IOException {
        byte[] message = "A: 1\nB: 2\n continued\nC: 3333333333\n\nbody".getBytes(UTF_8);
        MessageHead head = MessageHead.read(new ByteArrayInputStream(message), 18);
        assertEquals(List.of("A"), head.fields().map(HeaderField::name).toList());
        assertArrayEquals(message, head.message().readAllBytes());
    }

    @Test
    void aMessageWithoutFinalNewlineStillHasItsLastField() throws IOException {
        assertEquals(" last", head("A: 1\nB: last".getBytes(UTF_8)).first("B").orElseThrow().value());
    }

    private static MessageHead head(byte[] bytes) throws IOException {
        return MessageHead.read(new ByteArrayInputStream(bytes));
    }
}
