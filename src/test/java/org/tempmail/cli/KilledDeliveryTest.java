package org.tempmail.cli;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.ConfigLoader;

/**
 * Complete or nothing, with real processes: deliver, and separately the server it hands over to, are killed
 * (SIGKILL) at many offsets of a message, and the copies a postdrop-like sendmail queued are counted. That
 * sendmail queues whatever it has read once its input ends, as the real one does, so a truncated copy it keeps
 * is a truncated copy the real one would send.
 */
class KilledDeliveryTest {
    /** Long enough for a JVM to start and read what it was given before the kill. */
    private static final long SETTLE_MILLIS = 700;

    @TempDir
    Path dir;

    private Path queue;
    private Path sendmail;
    private byte[] message;
    private String address;

    @BeforeEach
    void setUp() throws IOException {
        queue = Files.createDirectory(dir.resolve("queue"));
        sendmail = dir.resolve("sendmail");
        Files.writeString(sendmail, "#!/bin/sh\nt=$(mktemp " + queue + "/tmp.XXXXXX)\n"
                + "cat > \"$t\" && mv \"$t\" " + queue + "/queued.$$\n");
        Files.setPosixFilePermissions(sendmail, PosixFilePermissions.fromString("rwx------"));
        StringBuilder text = new StringBuilder("From: someone@example.net\nSubject: complete or nothing\n\n");
        for (int i = 0; text.length() < 300_000; i++) {
            text.append("line ").append(i).append(" of a message that must arrive whole\n");
        }
        message = text.toString().getBytes(ISO_8859_1);
    }

    @Test
    void deliverKilledAtAnyOffsetQueuesNothingOrOneWholeCopy() throws Exception {
        Path config = config(false);
        byte[] whole = referenceCopy(config);
        int headerEnd = new String(message, ISO_8859_1).indexOf("\n\n") + 2;
        List<String> outcomes = new ArrayList<>();
        for (int offset : new int[] {0, 1, 40, headerEnd - 1, headerEnd, headerEnd + 1, 10_000, 65_536, 100_000,
                200_000, message.length - 1}) {
            Process deliver = deliver(config);
            feed(deliver, offset, false);
            kill(deliver);
            List<byte[]> copies = queuedCopies();
            assertEquals(0, copies.size(), "copies queued when deliver was killed at byte " + offset);
            outcomes.add(offset + ":" + copies.size());
        }
        for (long delay : new long[] {0, 20, 60, 150, 400}) {
            Process deliver = deliver(config);
            feed(deliver, message.length, true);
            Thread.sleep(delay);
            kill(deliver);
            List<byte[]> copies = queuedCopies();
            assertTrue(copies.size() <= 1, copies.size() + " copies when killed " + delay + " ms after the end");
            for (byte[] copy : copies) {
                assertArrayEquals(whole, copy, "a partial copy queued when killed " + delay + " ms after the end");
            }
            outcomes.add("end+" + delay + "ms:" + copies.size());
        }
        System.out.println("deliver killed at offset:copies " + outcomes);
    }

    @Test
    void serverKilledDuringAHandOffQueuesNothingAndDeliverDefers() throws Exception {
        Path config = config(true);
        byte[] whole = referenceCopy(config(false));
        List<String> outcomes = new ArrayList<>();
        for (int offset : new int[] {0, 1, 1000, 65_535, 65_537, 150_000, message.length - 1}) {
            Process server = serve(config);
            Process deliver = deliver(config);
            awaitHandOff();
            feed(deliver, offset, false);
            kill(server);
            feedRest(deliver, offset);
            assertTrue(deliver.waitFor(60, TimeUnit.SECONDS));
            String said = new String(deliver.getInputStream().readAllBytes(), UTF_8);
            assertEquals(75, deliver.exitValue(), "deliver's status when the server died at byte " + offset
                    + ": " + said);
            assertTrue(said.startsWith("4.3.0 "), said);
            assertEquals(0, queuedCopies().size(), "copies queued when the server was killed at byte " + offset);
            outcomes.add(offset + ":0");
        }
        for (long delay : new long[] {0, 30, 100, 300}) {
            Process server = serve(config);
            Process deliver = deliver(config);
            awaitHandOff();
            feed(deliver, message.length, true);
            Thread.sleep(delay);
            kill(server);
            assertTrue(deliver.waitFor(60, TimeUnit.SECONDS));
            List<byte[]> copies = queuedCopies();
            assertTrue(copies.size() <= 1, copies.size() + " copies, server killed " + delay + " ms after the end");
            for (byte[] copy : copies) {
                assertArrayEquals(whole, copy, "a partial copy, server killed " + delay + " ms after the end");
            }
            int status = deliver.exitValue();
            assertTrue(status == 0 && copies.size() == 1 || status == 75, "status " + status + " with "
                    + copies.size() + " copies");
            outcomes.add("end+" + delay + "ms:" + copies.size() + "/exit " + status);
        }
        System.out.println("server killed at offset:copies " + outcomes);
    }

    @Test
    void deliverKilledWhileHandingOverQueuesNothing() throws Exception {
        Path config = config(true);
        Process server = serve(config);
        try {
            for (int offset : new int[] {0, 1, 1000, 65_535, 65_537, 150_000, message.length - 1}) {
                Process deliver = deliver(config);
                awaitHandOff();
                feed(deliver, offset, false);
                kill(deliver);
                assertEquals(0, queuedCopies().size(), "copies queued when deliver was killed at byte " + offset);
            }
            Process deliver = deliver(config);
            feed(deliver, message.length, true);
            assertTrue(deliver.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, deliver.exitValue(), "the server still delivers after all those cut-off clients");
            assertEquals(1, queuedCopies().size());
        } finally {
            kill(server);
        }
    }

    private Path config(boolean handOff) throws Exception {
        Path file = dir.resolve(handOff ? "handoff.cf" : "own.cf");
        List<String> lines = new ArrayList<>(List.of("SHARED_SECRET=\"complete or nothing\"",
                "DOMAIN=temp.example.org", "MAILDROP=owner@example.org", "TIMEZONE=UTC", "SUBJECT_TAG=",
                "SOCKETMAP_SOCKET_TYPE=unix", "SOCKETMAP_UNIX_SOCKET_PATH=" + dir.resolve("socketmap"),
                "DATABASE=" + dir.resolve("tempmail.db"), "SENDMAIL=" + sendmail,
                "SPOOL_DIRECTORY=" + dir.resolve("spool")));
        if (handOff) {
            lines.add("DELIVERY_SOCKET=" + dir.resolve("deliver.socket"));
        }
        Files.write(file, lines);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        address = DatedAddressResolver.from(ConfigLoader.load(file).addresses()).addressOf(LocalDate.now(ZoneOffset.UTC));
        return file;
    }

    /** What one undisturbed delivery queues. */
    private byte[] referenceCopy(Path config) throws Exception {
        Process deliver = deliver(config);
        feed(deliver, message.length, true);
        assertTrue(deliver.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, deliver.exitValue(), new String(deliver.getInputStream().readAllBytes(), UTF_8));
        List<byte[]> copies = queuedCopies();
        assertEquals(1, copies.size());
        return copies.get(0);
    }

    private Process deliver(Path config) throws IOException {
        return java(config, "deliver", "--sender", "someone@example.net", "--recipient", address)
                .redirectErrorStream(true).start();
    }

    private Process serve(Path config) throws IOException {
        Process server = java(config, "serve").start();
        BufferedReader log = new BufferedReader(new InputStreamReader(server.getErrorStream(), UTF_8));
        String line;
        while ((line = log.readLine()) != null && !line.contains("taking deliveries")) {
            // the server's start-up lines
        }
        assertTrue(line != null, "the server did not start");
        Thread drain = new Thread(() -> {
            try {
                log.transferTo(java.io.Writer.nullWriter());
            } catch (IOException e) {
                // the server is gone
            }
        });
        drain.setDaemon(true);
        drain.start();
        return server;
    }

    /** Until the server has a client on its delivery socket (accepted sockets carry the bound path, NAME.new). */
    private void awaitHandOff() throws Exception {
        String socket = dir.resolve("deliver.socket").toString();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Stream<String> lines = Files.lines(Path.of("/proc/net/unix"))) {
                if (lines.filter(l -> l.contains(" " + socket)).count() >= 2) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("deliver never connected to the server");
    }

    private static ProcessBuilder java(Path config, String... command) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> line = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.tempmail.cli.Main", "--config", config.toString()));
        line.addAll(List.of(command));
        return new ProcessBuilder(line);
    }

    /** Writes the first {@code length} bytes; closes the input (a complete message) or waits for the kill. */
    private void feed(Process process, int length, boolean close) throws Exception {
        OutputStream stdin = process.getOutputStream();
        stdin.write(message, 0, length);
        stdin.flush();
        if (close) {
            stdin.close();
        } else {
            Thread.sleep(SETTLE_MILLIS);
        }
    }

    private void feedRest(Process process, int offset) {
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(message, offset, message.length - offset);
        } catch (IOException e) {
            // deliver stopped reading once its server was gone: what it does then is what is checked
        }
    }

    private static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    }

    /** The copies queued, once every sendmail has finished; the queue is emptied for the next round. */
    private List<byte[]> queuedCopies() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sendmailRunning() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(!sendmailRunning(), "sendmail still running");
        List<byte[]> copies = new ArrayList<>();
        try (Stream<Path> files = Files.list(queue)) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().startsWith("queued.")) {
                    copies.add(Files.readAllBytes(file));
                }
                Files.delete(file);
            }
        }
        return copies;
    }

    private boolean sendmailRunning() {
        String path = sendmail.toString();
        return ProcessHandle.allProcesses()
                .anyMatch(p -> p.isAlive() && p.info().commandLine().map(c -> c.contains(path)).orElse(false));
    }
}
