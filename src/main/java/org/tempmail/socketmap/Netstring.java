package org.tempmail.socketmap;

import java.nio.charset.StandardCharsets;

/** Netstring framing ({@code <length>:<bytes>,}) for replies. */
public final class Netstring {
    private Netstring() {
    }

    public static byte[] encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] encode(byte[] payload) {
        byte[] prefix = (payload.length + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] framed = new byte[prefix.length + payload.length + 1];
        System.arraycopy(prefix, 0, framed, 0, prefix.length);
        System.arraycopy(payload, 0, framed, prefix.length, payload.length);
        framed[framed.length - 1] = ',';
        return framed;
    }
}
