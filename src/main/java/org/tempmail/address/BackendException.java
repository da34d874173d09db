package org.tempmail.address;

/** The resolver could not reach what it needs to answer; the answer is "try later", never "unknown". */
public final class BackendException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String publicReason;

    public BackendException(String message, Throwable cause) {
        this(message, "address backend unavailable", cause);
    }

    /** @param publicReason what a sender may read: no paths, hosts or other details of this server */
    public BackendException(String message, String publicReason, Throwable cause) {
        super(message, cause);
        this.publicReason = publicReason;
    }

    /** What a sender may read, e.g. in a delay notice: no paths, hosts or other details of this server. */
    public String publicReason() {
        return publicReason;
    }
}
