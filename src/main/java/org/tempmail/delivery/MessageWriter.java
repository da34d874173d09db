package org.tempmail.delivery;

import java.io.IOException;
import java.io.OutputStream;

/** Writes the message to be submitted. */
@FunctionalInterface
public interface MessageWriter {
    void writeTo(OutputStream out) throws IOException;
}
