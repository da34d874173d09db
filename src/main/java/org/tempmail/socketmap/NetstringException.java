package org.tempmail.socketmap;

/** The client broke the netstring framing; the connection cannot be resynchronised and is closed. */
public final class NetstringException extends Exception {
    private static final long serialVersionUID = 1L;

    public NetstringException(String message) {
        super(message);
    }
}
