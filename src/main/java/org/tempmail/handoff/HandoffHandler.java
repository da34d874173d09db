package org.tempmail.handoff;

import java.io.InputStream;
import java.io.PrintStream;

/** Delivers one handed-off message the way {@code tempmail deliver} would in its own process. */
@FunctionalInterface
public interface HandoffHandler {
    /**
     * Delivers the message read from {@code message}, writes what Postfix should see on the deliver process's
     * standard output to {@code out} and returns the deliver process's exit status. {@code message} ends at the
     * client's end-of-message mark and fails with an IOException where the client went away before it, so a
     * message cut short is never taken for a whole one. It stays open: the answer goes back on the same socket.
     * {@code readWhole} is run once the message has been read to its end and only waiting is left (sendmail), so
     * the delivery stops counting against the deliveries that may compute at once.
     */
    int deliver(HandoffRequest request, InputStream message, Runnable readWhole, PrintStream out);
}
