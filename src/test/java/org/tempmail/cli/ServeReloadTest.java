package org.tempmail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.AddressSettings;
import org.tempmail.config.SchemeName;
import org.tempmail.config.Secret;
import org.tempmail.handoff.HandoffClient;
import org.tempmail.handoff.HandoffRequest;

/**
 * A real {@code tempmail serve} whose tempmail.cf is edited 20 times (LENGTH 8, 10, 8, …, rewritten in place and
 * replaced by rename in turn, with a broken edit after every other one) while clients keep asking its socketmap
 * and handing it deliveries. Every lookup must answer as the file in force did, every delivery must be delivered.
 */
class ServeReloadTest {
    private static final String SECRET = "serve reload test secret";
    private static final String DOMAIN = "temp.example.org";
    private static final String MAILDROP = "owner@example.org";
    private static final String STEADY = "steady@" + DOMAIN;
    private static final int EDITS = 20;
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final List<String> BROKEN = List.of("LENGTH=99", "LENGTH 10", "SCHEME=sha1", "TIMEZONE=Mars/Base");

    @TempDir
    Path dir;
    private Path config;
    private final List<Line> log = Collections.synchronizedList(new ArrayList<>());
    private final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger handedOver = new AtomicInteger();
    private final List<long[]> slowDeliveries = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);

    /** A log line of the server and when this test read it. */
    private record Line(long nanos, String text) {
    }

    /** One socketmap lookup: when it was sent and answered, of which address, and the reply. */
    private record Answer(long sent, long answered, int length, String reply) {
    }

    /** A version of the file: its LENGTH, when the test wrote it and when the server said it had loaded it. */
    private record Version(int length, String digest, long written, long loaded) {
    }

    private List<String> lines(int length, String... extra) {
        List<String> lines = new ArrayList<>(List.of("SHARED_SECRET=\"" + SECRET + "\"", "DOMAIN=" + DOMAIN,
                "MAILDROP=" + MAILDROP, "TIMEZONE=UTC", "LENGTH=" + length, "SOCKETMAP_SOCKET_TYPE=unix",
                "SOCKETMAP_UNIX_SOCKET_PATH=" + dir.resolve("socketmap"), "DATABASE=" + dir.resolve("tempmail.db"),
                "SENDMAIL=" + dir.resolve("sendmail"), "DELIVERY_SOCKET=" + dir.resolve("deliver.socket")));
        lines.addAll(List.of(extra));
        return lines;
    }

    /** Writes the file in place (as most editors do) or by rename (as sed -i and configuration tools do). */
    private String write(List<String> lines, boolean inPlace) throws Exception {
        byte[] content = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        if (inPlace) {
            Files.write(config, content);
        } else {
            Path next = dir.resolve("tempmail.cf.tmp");
            Files.write(next, content);
            Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-------"));
            Files.move(next, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)).substring(0, 12);
    }

    private static String address(int length) {
        return DatedAddressResolver.from(new AddressSettings(SchemeName.HMAC_SHA256, new Secret(SECRET), length,
                DOMAIN, MAILDROP, 2, ZoneOffset.UTC, "+")).addressOf(LocalDate.now(ZoneOffset.UTC));
    }

    @Test
    void theServerFollowsEveryEditWithoutAFailedLookupOrALostDelivery() throws Exception {
        config = dir.resolve("tempmail.cf");
        String first = write(lines(8), false);
        Path sendmail = dir.resolve("sendmail");
        Files.createDirectory(dir.resolve("sent"));
        Files.writeString(sendmail, "#!/bin/sh\ncat > \"$(mktemp " + dir.resolve("sent") + "/XXXXXX)\"\n");
        Files.setPosixFilePermissions(sendmail, PosixFilePermissions.fromString("rwx------"));
        ToolRun init = ToolRun.of(new String[] {"--config", config.toString(), "init"}, new byte[0], Map.of(),
                Clock.systemUTC());
        assertEquals(0, init.status(), init.toString());
        ToolRun created = ToolRun.of(new String[] {"--config", config.toString(), "cap", "create", "--note",
            "valid whatever LENGTH says", "--local-part", "steady"}, new byte[0], Map.of(), Clock.systemUTC());
        assertEquals(0, created.status(), created.toString());

        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "org.tempmail.cli.Main", "--config", config.toString(), "serve").start();
        List<Thread> clients = new ArrayList<>();
        try {
            Thread reader = new Thread(() -> readLog(server.getErrorStream()));
            reader.setDaemon(true);
            reader.start();
            awaitLine(0, line -> line.startsWith("tempmail serve: taking deliveries on "));
            clients.add(start(this::askOnOneConnection));
            clients.add(start(this::askOnNewConnections));
            for (int i = 0; i < 2; i++) {
                clients.add(start(this::handOverSlowly));
            }

            List<Version> versions = new ArrayList<>(List.of(new Version(8, first, 0, 0)));
            int broken = 0;
            for (int edit = 1; edit <= EDITS; edit++) {
                int length = edit % 2 == 0 ? 8 : 10;
                String[] extra = edit == 7 ? new String[] {"SOCKETMAP_MAX_CONNECTIONS=99"} : new String[0];
                int seen = log.size();
                long written = System.nanoTime();
                String digest = write(lines(length, extra), edit % 2 == 0);
                // Before the poll has seen the edit: the hand-off brings the server up to date at once.
                assertEquals(0, handOver(address(length), "edit " + edit), "edit " + edit);
                Line loaded = awaitLine(seen, line -> line.contains(" (sha256 " + digest + ", "));
                versions.add(new Version(length, digest, written, loaded.nanos()));
                if (edit == 7) {
                    awaitLine(seen, line -> line.contains("reload: SOCKETMAP_MAX_CONNECTIONS changed, which needs a "
                            + "restart"));
                }
                if (edit % 2 == 0) {
                    String mistake = BROKEN.get(broken++ % BROKEN.size());
                    seen = log.size();
                    List<String> wrong = lines(length);
                    wrong.add(mistake);
                    write(wrong, edit % 4 == 0);
                    Line failed = awaitLine(seen, line -> line.contains(" failed ("));
                    String key = mistake.split("[= ]")[0];
                    assertTrue(failed.text().contains(config + ":" + wrong.size() + ": "), failed.text());
                    assertTrue(failed.text().contains(key) && !failed.text().contains(SECRET), failed.text());
                    assertTrue(failed.text().contains("still serving the configuration of sha256 " + digest),
                            failed.text());
                    assertEquals(0, handOver(address(length), "broken edit " + edit), "the last good one serves");
                    Thread.sleep(LiveConfigPoll.MILLIS + 500);
                }
            }
            // The file is broken now (the last edit): SIGHUP says so again, and the last good one still serves.
            int seen = log.size();
            hangUp(server);
            awaitLine(seen, line -> line.contains(" failed (SIGHUP); still serving the configuration of sha256 "
                    + versions.get(versions.size() - 1).digest()));
            seen = log.size();
            long written = System.nanoTime();
            String digest = write(lines(8), true);
            hangUp(server);
            Line loaded = awaitLine(seen, line -> line.contains(" (sha256 " + digest + ", "));
            versions.add(new Version(8, digest, written, loaded.nanos()));
            Thread.sleep(500);
            assertTrue(server.isAlive(), "SIGHUP ended the server");

            running.set(false);
            for (Thread client : clients) {
                client.join(WAIT.toMillis());
            }
            assertEquals(List.of(), failures);
            checkAnswers(versions);
            checkDeliveries();
            long underWay = slowDeliveries.stream().filter(d -> versions.stream().skip(1)
                    .anyMatch(v -> d[0] < v.written() && d[1] > v.loaded())).count();
            assertTrue(underWay >= 10, "only " + underWay + " deliveries were under way across a reload");
            System.out.println("ServeReloadTest: " + underWay + " deliveries under way across a reload");

            new ProcessBuilder("kill", "-TERM", Long.toString(server.pid())).start().waitFor();
            assertTrue(server.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, server.exitValue());
        } finally {
            running.set(false);
            server.destroyForcibly();
        }
    }

    private static void hangUp(Process server) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).start().waitFor();
    }

    /** The poll interval of the server, and so how long a broken edit stays before the next one. */
    private static final class LiveConfigPoll {
        static final long MILLIS = org.tempmail.reload.LiveConfig.POLL_INTERVAL.toMillis();
    }

    /**
     * Version i was in force from some moment between its writing and its log line until the same for version
     * i + 1: a lookup must answer as a version in force at some moment between its sending and its answer.
     */
    private void checkAnswers(List<Version> versions) {
        assertTrue(answers.size() > 100, "only " + answers.size() + " lookups");
        for (Answer answer : answers) {
            List<Integer> allowed = new ArrayList<>();
            for (int i = 0; i < versions.size(); i++) {
                boolean startedBeforeItEnded = i + 1 == versions.size() || answer.sent() < versions.get(i + 1).loaded();
                boolean endedAfterItStarted = answer.answered() > versions.get(i).written();
                if (startedBeforeItEnded && endedAfterItStarted) {
                    allowed.add(versions.get(i).length());
                }
            }
            String expectedIfValid = "OK " + MAILDROP;
            boolean valid = answer.reply().equals(expectedIfValid);
            assertTrue(valid || answer.reply().equals("NOTFOUND "), "lookup answered " + answer.reply());
            assertTrue(valid ? allowed.contains(answer.length()) : allowed.stream().anyMatch(l -> l != answer.length()),
                    "LENGTH " + answer.length() + " answered " + answer.reply() + " while in force: " + allowed);
        }
        System.out.println("ServeReloadTest: " + answers.size() + " lookups, " + handedOver.get()
                + " deliveries handed over, " + (versions.size() - 1) + " edits");
    }

    /** Each handed-over delivery was delivered once and whole. */
    private void checkDeliveries() throws IOException {
        List<String> sent = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("sent"))) {
            for (Path file : files.toList()) {
                sent.add(Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
        assertEquals(handedOver.get(), sent.size(), "copies queued");
        for (String message : sent) {
            assertTrue(message.endsWith("\nend of message\n"), message);
        }
        assertTrue(sent.stream().filter(m -> m.startsWith("X-Tempmail-To: " + STEADY + "\n")).count() > 10,
                "few slow deliveries");
    }

    private Thread start(ThrowingRunnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Exception | AssertionError e) {
                failures.add(Thread.currentThread().getName() + ": " + e);
            }
        });
        thread.start();
        return thread;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** As a long-lived smtpd process does: one connection, queries one after the other. */
    private void askOnOneConnection() throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("socketmap")))) {
            for (int i = 0; running.get(); i++) {
                int length = i % 2 == 0 ? 8 : 10;
                long sent = System.nanoTime();
                String reply = ask(channel, "rcpt " + address(length));
                answers.add(new Answer(sent, System.nanoTime(), length, reply));
            }
        }
    }

    private void askOnNewConnections() throws IOException, InterruptedException {
        for (int i = 0; running.get(); i++) {
            int length = i % 2 == 0 ? 10 : 8;
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("socketmap")))) {
                long sent = System.nanoTime();
                String reply = ask(channel, "rcpt " + address(length));
                answers.add(new Answer(sent, System.nanoTime(), length, reply));
            }
            Thread.sleep(5);
        }
    }

    /** Deliveries whose message trickles in over a second, so that edits land while they are under way. */
    private void handOverSlowly() {
        while (running.get()) {
            long started = System.nanoTime();
            int status = handOver(STEADY, "slow", 20);
            slowDeliveries.add(new long[] {started, System.nanoTime()});
            if (status != 0) {
                failures.add("a slow delivery to " + STEADY + " exited " + status);
            }
        }
    }

    private int handOver(String recipient, String what) {
        return handOver(recipient, what, 0);
    }

    private int handOver(String recipient, String what, int slowChunks) {
        HandoffRequest request = new HandoffRequest(config.toString(), "", List.of("--sender",
                "sender@example.net", "--recipient", recipient));
        InputStream message = new SlowMessage("Subject: " + what + "\n\n", slowChunks);
        Optional<HandoffClient.Outcome> outcome = new HandoffClient(dir.resolve("deliver.socket"),
                Duration.ofSeconds(10)).deliver(request, message);
        if (outcome.isEmpty()) {
            failures.add("the server declined a delivery to " + recipient + " (" + what + ")");
            return -1;
        }
        if (outcome.get().status() == 0) {
            handedOver.incrementAndGet();
        } else {
            failures.add(what + ": " + recipient + ": " + outcome.get());
        }
        return outcome.get().status();
    }

    /** A header, then {@code chunks} body lines 50 ms apart, then the last line. */
    private static final class SlowMessage extends InputStream {
        private final byte[] header;
        private int chunksLeft;
        private byte[] pending;
        private int position;

        SlowMessage(String header, int chunks) {
            this.header = header.getBytes(StandardCharsets.US_ASCII);
            this.pending = this.header;
            this.chunksLeft = chunks;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            while (position == pending.length) {
                if (pending == null || chunksLeft < 0) {
                    return -1;
                }
                if (chunksLeft == 0) {
                    pending = "end of message\n".getBytes(StandardCharsets.US_ASCII);
                    chunksLeft = -1;
                    position = 0;
                    break;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
                pending = ("line " + chunksLeft-- + "\n").getBytes(StandardCharsets.US_ASCII);
                position = 0;
            }
            int count = Math.min(length, pending.length - position);
            System.arraycopy(pending, position, buffer, offset, count);
            position += count;
            return count;
        }
    }

    private static String ask(SocketChannel channel, String request) throws IOException {
        channel.write(ByteBuffer.wrap((request.length() + ":" + request + ",").getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer reply = ByteBuffer.allocate(512);
        while (reply.position() == 0 || reply.get(reply.position() - 1) != ',') {
            if (channel.read(reply) < 0) {
                throw new IOException("the server closed the connection");
            }
        }
        String text = new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII);
        return text.substring(text.indexOf(':') + 1, text.length() - 1);
    }

    private void readLog(InputStream stderr) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                log.add(new Line(System.nanoTime(), line));
            }
        } catch (IOException e) {
            // The server is gone; the test sees it in its other checks.
        }
    }

    /** The first log line from index {@code from} on that matches. */
    private Line awaitLine(int from, Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (log) {
                for (Line line : log.subList(from, log.size())) {
                    if (wanted.test(line.text())) {
                        return line;
                    }
                }
            }
            Thread.sleep(10);
        }
        synchronized (log) {
            throw new AssertionError("no such log line; the log:\n" + String.join("\n",
                    log.stream().map(Line::text).toList()));
        }
    }
}
