package org.tempmail.delivery;

/** Hands a rewritten message on: to sendmail, or to a person's terminal for a dry run. */
public interface Submitter {
    /** Returns only once the message is safely handed on; any doubt is a {@link SubmissionException}. */
    void submit(String sender, String recipient, MessageWriter message) throws SubmissionException;
}
