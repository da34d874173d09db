package org.tempmail.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/** Writes the message to a stream instead of sending it: replay --dry-run. */
public final class StreamSubmitter implements Submitter {
    private final OutputStream out;

    public StreamSubmitter(OutputStream out) {
        this.out = out;
    }

    @Override
    public void submit(String sender, String recipient, MessageWriter message) throws SubmissionException {
        try {
            message.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new SubmissionException("writing the message failed: " + e.getMessage());
        }
        // A PrintStream (stdout) keeps its errors to itself: ask, or a closed pipe would count as written.
        if (out instanceof PrintStream print && print.checkError()) {
            throw new SubmissionException("writing the message failed (output closed?)");
        }
    }
}
