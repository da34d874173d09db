package org.tempmail.delivery;

/** The message was not handed on; the reason is for the defer text, so keep it short. */
public final class SubmissionException extends Exception {
    private static final long serialVersionUID = 1L;

    public SubmissionException(String message) {
        super(message);
    }
}
