package org.tempmail.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class StreamSubmitterTest {
    @Test
    void writesTheMessageUnchanged() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new StreamSubmitter(new PrintStream(out)).submit("a@b", "c@d", o -> o.write(new byte[] {'x', 0, '\n'}));
        assertArrayEquals(new byte[] {'x', 0, '\n'}, out.toByteArray());
    }

    @Test
    void aClosedStdoutIsAFailureNotASuccess() {
        OutputStream closed = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        assertThrows(SubmissionException.class, () -> new StreamSubmitter(new PrintStream(closed))
                .submit("a@b", "c@d", o -> o.write("message\n".getBytes())));
    }
}
