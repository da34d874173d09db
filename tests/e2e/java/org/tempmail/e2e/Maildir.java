package org.tempmail.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The maildrop's Maildir as virtual(8) writes it: one file per message in new/, LF line ends. */
final class Maildir {
    private final Path root;

    Maildir(Path root) {
        this.root = root;
    }

    /** A delivered message: its header lines (unfolded as stored) and the SHA-256 of its body. */
    record Delivered(Path file, List<String> header, String bodyDigest) {
        /** The values of every header field with this name, in order. */
        List<String> values(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            List<String> values = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                String line = header.get(i);
                if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                    StringBuilder value = new StringBuilder(line.substring(prefix.length()).strip());
                    while (i + 1 < header.size() && (header.get(i + 1).startsWith(" ")
                            || header.get(i + 1).startsWith("\t"))) {
                        value.append(' ').append(header.get(++i).strip());
                    }
                    values.add(value.toString());
                }
            }
            return values;
        }
    }

    /** Every delivered message whose Message-ID carries {@code marker}. */
    List<Delivered> find(String marker) throws IOException {
        Path incoming = root.resolve("new");
        if (!Files.isDirectory(incoming)) {
            return List.of();
        }
        List<Delivered> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(incoming)) {
            for (Path file : files.sorted().toList()) {
                Delivered message = read(file);
                if (message.values("Message-ID").stream().anyMatch(v -> v.contains(marker))) {
                    found.add(message);
                }
            }
        }
        return found;
    }

    /** Waits until a message with {@code marker} has arrived and returns it. */
    Delivered await(String marker, Duration timeout, PrivatePostfix postfix) throws IOException,
            InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Delivered> found = find(marker);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("message " + marker + " did not arrive in " + root + " within " + timeout
                        + "; the mail log ends with:\n" + PrivatePostfix.tail(postfix.log(), 30));
            }
            Thread.sleep(100);
        }
    }

    private static Delivered read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            List<String> header = new ArrayList<>();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                if (line.size() == 0) {
                    break;
                }
                header.add(line.toString(StandardCharsets.UTF_8));
                line.reset();
            }
            MessageDigest digest = TestMessage.sha256();
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return new Delivered(file, header, HexFormat.of().formatHex(digest.digest()));
        }
    }
}
