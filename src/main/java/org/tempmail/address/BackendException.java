package org.tempmail.address;

/** The resolver could not reach what it needs to answer; the answer is "try later", never "unknown". */
public final class BackendException extends Exception {
    private static final long serialVersionUID = 1L;

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
