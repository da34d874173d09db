package org.tempmail.socketmap;

import java.util.Optional;

/**
 * One socketmap reply, and what an administrator should read about it in the log, if anything.
 *
 * @param text  the reply, e.g. {@code OK owner@example.org} or {@code NOTFOUND }
 * @param event a problem worth a log line (backend failure, bad request), or empty
 */
public record Reply(String text, Optional<String> event) {
    static final Reply NOT_FOUND = new Reply("NOTFOUND ", Optional.empty());

    static Reply ok(String data) {
        return new Reply("OK " + data, Optional.empty());
    }

    static Reply temp(String reason, String event) {
        return new Reply("TEMP " + reason, Optional.of(event));
    }

    static Reply perm(String reason) {
        return new Reply("PERM " + reason, Optional.of(reason));
    }

    public byte[] netstring() {
        return Netstring.encode(text);
    }
}
