package org.tempmail.lmtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LmtpInputTest {
    private static LmtpInput input(String text) {
        return new LmtpInput(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String text(LmtpInput in) throws IOException {
        return ((LmtpInput.Line.Text) in.readLine(100).orElseThrow()).text();
    }

    private static String data(String wire) throws IOException {
        return new String(input(wire).data().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void commandLinesEndAtLfWithOrWithoutCr() throws IOException {
        LmtpInput in = input("LHLO x\r\nNOOP\nQUIT\r\n");
        assertEquals("LHLO x", text(in));
        assertEquals("NOOP", text(in));
        assertEquals("QUIT", text(in));
        assertTrue(in.readLine(100).isEmpty());
    }

    @Test
    void aLineTooLongIsConsumedAndTheNextOneReadWhole() throws IOException {
        LmtpInput in = input("X".repeat(100_000) + "\r\nNOOP\r\n");
        assertInstanceOf(LmtpInput.Line.TooLong.class, in.readLine(512).orElseThrow());
        assertEquals("NOOP", text(in));
    }

    @Test
    void dataUnstuffsDotsTurnsCrlfIntoLfAndEndsAtTheDotLine() throws IOException {
        assertEquals("Subject: x\n\n.hidden\n..two\nend\n",
                data("Subject: x\r\n\r\n..hidden\r\n...two\r\nend\r\n.\r\n"));
    }

    @Test
    void anEmptyMessageIsJustTheDot() throws IOException {
        assertEquals("", data(".\r\n"));
    }

    @Test
    void bareCrAndDotsInsideLinesPassUntouched() throws IOException {
        assertEquals("a\rb . c.\n\r\n.\r.x\n", data("a\rb . c.\r\n\r\r\n..\r.x\r\n.\r\n"));
    }

    @Test
    void aDotLineEndedByLfAloneEndsTooAndADotFollowedByTextIsStuffing() throws IOException {
        assertEquals("x\n", data("x\n.\n"));
        assertEquals("ab\n", data(".ab\r\n.\r\n"));
    }

    @Test
    void theConnectionEndingBeforeTheDotIsAnErrorNotAnEnd() {
        for (String cut : new String[] {"", "abc", "abc\r\n", "abc\r\n.", "abc\r\n.\r", "abc\r\n..\r\n"}) {
            InputStream data = input(cut).data();
            assertThrows(EOFException.class, data::readAllBytes, cut);
        }
    }

    @Test
    void commandsPipelinedAfterTheDataAreKept() throws IOException {
        LmtpInput in = input("body\r\n.\r\nQUIT\r\n");
        assertEquals("body\n", new String(in.data().readAllBytes(), StandardCharsets.US_ASCII));
        assertTrue(in.hasBuffered());
        assertEquals("QUIT", text(in));
        assertFalse(in.hasBuffered());
    }

    @Test
    void dataReadInAnyChunkSizeFromAnyReadSizeGivesTheSameBytes() throws IOException {
        Random random = new Random(12);
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            int r = random.nextInt(20);
            content[i] = (byte) (r == 0 ? '\n' : r == 1 ? '.' : r == 2 ? '\r' : 'a' + r);
        }
        byte[] expected = unstuffedReference(content);
        byte[] wire = stuffed(content);
        for (int chunk : new int[] {1, 2, 3, 7, 4096, 65536, 200_000}) {
            for (int readSize : new int[] {1, 2, 5, 8192}) {
                LmtpInput in = new LmtpInput(new Trickle(wire, chunk));
                InputStream data = in.data();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                byte[] buffer = new byte[readSize];
                int n;
                while ((n = data.read(buffer)) >= 0) {
                    got.write(buffer, 0, n);
                }
                assertArrayEquals(expected, got.toByteArray(), "chunk " + chunk + ", read " + readSize);
            }
        }
    }

    /** What a client sends for {@code content} taken as LF-ended lines: CRLF, dots doubled, the end mark. */
    private static byte[] stuffed(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lineStart = true;
        for (byte b : content) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            if (b == '\n') {
                out.write('\r');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        out.writeBytes(".\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** The content as it comes back: the CR of each line ending the client wrote is gone, a last line has LF. */
    private static byte[] unstuffedReference(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(content);
        if (content.length > 0 && content[content.length - 1] != '\n') {
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Hands out at most {@code chunk} bytes per read, as a socket may. */
    private static final class Trickle extends InputStream {
        private final byte[] bytes;
        private final int chunk;
        private int position;

        Trickle(byte[] bytes, int chunk) {
            this.bytes = bytes;
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, chunk), bytes.length - position);
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }
    }
}
