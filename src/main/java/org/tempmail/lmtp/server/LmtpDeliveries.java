package org.tempmail.lmtp.server;

import java.io.IOException;
import java.nio.file.Path;
import org.tempmail.delivery.DeliveryOutcome;

/** Where an LMTP session keeps a message it receives, and what delivers it to each of its recipients. */
public interface LmtpDeliveries {
    /** A message is about to be received: what judges and delivers it is brought up to date now. */
    void messageStarts();

    /**
     * A new empty file, private to this server, to hold one message too large to be kept in memory while it is
     * received; the caller deletes it.
     */
    Path newMessageFile() throws IOException;

    /**
     * Delivers the complete message {@code message} (lines ended by LF, as Postfix stores it) for one
     * recipient, as {@code tempmail deliver} would: delivered only once sendmail has queued it.
     */
    DeliveryOutcome deliver(String sender, String recipient, ReceivedMessage message);
}
