package org.tempmail.config;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The shared secret. Holds the bytes and never prints them. */
public final class Secret {
    private final byte[] bytes;

    public Secret(String text) {
        this(text.getBytes(StandardCharsets.UTF_8));
    }

    public Secret(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** A copy of the secret's UTF-8 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return "<secret, " + bytes.length + " bytes>";
    }
}
