package org.tempmail.delivery;

/**
 * The message was not handed on. The message is the short reason for the defer text, which reaches senders: no
 * paths, hosts or the words of other programs; {@link #detail()} is what the administrator's log gets.
 */
public final class SubmissionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String detail;

    /** A reason that is safe to show a sender and needs no more detail. */
    public SubmissionException(String reason) {
        this(reason, "");
    }

    public SubmissionException(String reason, String detail) {
        super(reason);
        this.detail = detail;
    }

    /** For the administrator: paths, keys, what sendmail said; empty when the reason says it all. */
    public String detail() {
        return detail;
    }
}
