package org.tempmail.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The test messages under src/test/resources/messages. */
final class Corpus {
    static final List<String> FILES = List.of("plain.eml", "multipart-attachment.eml", "rfc2047-subject.eml",
            "utf8-raw-headers.eml", "folded-headers.eml", "crlf.eml", "no-body.eml", "header-only-no-blank-line.eml",
            "no-blank-line.eml", "no-final-newline.eml", "nul-bytes.eml", "tagged-already.eml");

    private Corpus() {
    }

    static byte[] read(String name) {
        try (InputStream in = Corpus.class.getResourceAsStream("/messages/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test message " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
