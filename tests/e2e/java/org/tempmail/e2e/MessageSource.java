package org.tempmail.e2e;

import java.io.IOException;
import java.io.OutputStream;

/** Message text with LF line ends, written out once. */
@FunctionalInterface
interface MessageSource {
    void writeTo(OutputStream out) throws IOException;
}
