package org.tempmail.handoff;

import java.io.IOException;

/** The other side of a hand-off broke the protocol. */
public final class HandoffException extends IOException {
    private static final long serialVersionUID = 1L;

    public HandoffException(String message) {
        super(message);
    }
}
