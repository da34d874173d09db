package org.tempmail.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Optional;

/** Writes the message to a stream instead of sending it: replay --dry-run. */
public final class StreamSubmitter implements Submitter {
    private final OutputStream out;
    private Optional<String> recipient = Optional.empty();

    public StreamSubmitter(OutputStream out) {
        this.out = out;
    }

    /** The recipient the last message written would have been sent to: the MAILDROP or a capability's target. */
    public Optional<String> recipient() {
        return recipient;
    }

    @Override
    public void submit(String sender, String recipient, MessageWriter message) throws SubmissionException {
        this.recipient = Optional.of(recipient);
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
