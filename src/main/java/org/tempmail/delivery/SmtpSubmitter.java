package org.tempmail.delivery;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Resubmits over SMTP to a reinjection listener of this Postfix (a second smtpd on loopback, as in Postfix's
 * FILTER_README): the listener's 250 after the final dot means the message is queued. A connection that breaks
 * before that queues nothing, so no spool file is needed for completeness. Connections are kept between
 * messages, so that the listener does its per-connection work (greeting, EHLO, logging) once for many: an idle
 * one is closed after {@link #IDLE_LIMIT}, shorter than the 10 s smtpd allows under stress, and one the listener
 * closed first costs a retry on a new connection before any of the message was sent.
 */
public final class SmtpSubmitter implements Submitter, AutoCloseable {
    static final Duration IDLE_LIMIT = Duration.ofSeconds(5);

    private final String host;
    private final int port;
    private final Duration timeout;
    private final int keep;
    private final ConcurrentLinkedDeque<SmtpConnection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /** {@code keep}: how many idle connections at most; more are closed as they come free. */
    public SmtpSubmitter(String host, int port, Duration timeout, int keep) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
        this.keep = keep;
    }

    public boolean sameListener(String otherHost, int otherPort, Duration otherTimeout) {
        return host.equals(otherHost) && port == otherPort && timeout.equals(otherTimeout);
    }

    @Override
    public void submit(String sender, String recipient, MessageWriter message) throws SubmissionException {
        SmtpConnection connection = null;
        try {
            connection = reused();
            if (connection != null) {
                try {
                    connection.transaction(sender, recipient, message);
                    giveBack(connection);
                    return;
                } catch (SmtpConnection.Stale e) {
                    connection.abandon();
                }
            }
            connection = SmtpConnection.open(host, port, timeout);
            connection.transaction(sender, recipient, message);
            giveBack(connection);
        } catch (IOException e) {
            if (connection != null) {
                connection.abandon();
            }
            throw new SubmissionException("resubmission over SMTP failed, nothing was queued (key LMTP_REINJECT)",
                    "resubmission to " + host + ":" + port + " failed: " + e);
        } catch (SubmissionException | RuntimeException e) {
            if (connection != null) {
                connection.abandon();
            }
            throw e;
        }
    }

    /** The most recently used idle connection young enough to keep; older ones are closed on the way. */
    private SmtpConnection reused() {
        long now = System.nanoTime();
        SmtpConnection connection;
        while ((connection = idle.pollFirst()) != null) {
            if (!connection.idleLongerThan(IDLE_LIMIT, now)) {
                return connection;
            }
            connection.close();
        }
        return null;
    }

    private void giveBack(SmtpConnection connection) {
        if (closed) {
            connection.close();
            return;
        }
        idle.offerFirst(connection);
        long now = System.nanoTime();
        while (idle.size() > keep) {
            SmtpConnection extra = idle.pollLast();
            if (extra != null) {
                extra.close();
            }
        }
        SmtpConnection oldest = idle.peekLast();
        if (oldest != null && oldest.idleLongerThan(IDLE_LIMIT, now) && idle.removeLastOccurrence(oldest)) {
            oldest.close();
        }
    }

    /** Closes the idle connections, with QUIT, and each one in use as it comes free. */
    @Override
    public void close() {
        closed = true;
        SmtpConnection connection;
        while ((connection = idle.pollFirst()) != null) {
            connection.close();
        }
    }
}
