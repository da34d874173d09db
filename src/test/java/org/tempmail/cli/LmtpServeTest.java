package org.tempmail.cli;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.ConfigLoader;

/**
 * {@code tempmail serve} with LMTP_LISTEN, as real processes: a message gives sendmail the same bytes through
 * LMTP as through {@code tempmail deliver}; a client that goes away, or a server killed (SIGKILL), in the middle
 * of DATA queues nothing; a full server answers 421; an expired address gets 550 5.1.1, a failing sendmail 451.
 * The sendmail here queues whatever it has read once its input ends, as the real one does.
 */
class LmtpServeTest {
    private static final String QUEUE_ID = "4Hq7Zx0Yk3z9";

    @TempDir
    Path dir;

    private Path queue;
    private Path sendmail;
    private Path config;
    private Path socket;
    private String address;
    private String expired;
    private byte[] stored;
    private final List<Process> servers = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        queue = Files.createDirectory(dir.resolve("queue"));
        sendmail = dir.resolve("sendmail");
        Files.writeString(sendmail, "#!/bin/sh\nt=$(mktemp " + queue + "/tmp.XXXXXX)\n"
                + "printf '%s\\n' \"$*\" > \"$t.args\"\n"
                + "[ -e " + dir.resolve("fail") + " ] && exit 1\n"
                + "cat > \"$t\" && mv \"$t.args\" " + queue + "/args.$$ && mv \"$t\" " + queue + "/queued.$$\n");
        Files.setPosixFilePermissions(sendmail, PosixFilePermissions.fromString("rwx------"));
        socket = dir.resolve("lmtp");
        config = dir.resolve("tempmail.cf");
        Files.write(config, List.of("SHARED_SECRET=\"lmtp test\"", "DOMAIN=temp.example.org",
                "MAILDROP=owner@example.org", "TIMEZONE=UTC", "SUBJECT_TAG=[temp]",
                "SOCKETMAP_SOCKET_TYPE=unix", "SOCKETMAP_UNIX_SOCKET_PATH=" + dir.resolve("socketmap"),
                "DATABASE=" + dir.resolve("tempmail.db"), "SENDMAIL=" + sendmail,
                "SPOOL_DIRECTORY=" + dir.resolve("spool"), "LMTP_LISTEN=unix:" + socket, "LMTP_MAX_SESSIONS=2"));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        DatedAddressResolver resolver = DatedAddressResolver.from(ConfigLoader.load(config).addresses());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        address = resolver.addressOf(today);
        expired = resolver.addressOf(today.minusDays(2));
        // The message as Postfix stores it: LF line ends, its own Received field on top naming the queue id.
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)
                .format(ZonedDateTime.now(ZoneOffset.UTC));
        StringBuilder text = new StringBuilder("Received: from client.example.net (client [192.0.2.7])\n"
                + "\tby mx.example.org (Postfix) with ESMTP id " + QUEUE_ID + "\n\tfor <" + address + ">; " + date
                + "\nReceived: from elsewhere by other.example id FAKE1; Mon, 1 Jan 2001 00:00:00 +0000\n"
                + "From: someone@example.net\nSubject: same bytes\n\n.a line with a dot\n..two\n.\nFrom here\n"
                + "caf\u00e9 8-bit\ntrailing blanks   \nbare\rCR\n" + "x".repeat(5000) + "\n");
        for (int i = 0; text.length() < 200_000; i++) {
            text.append("line ").append(i).append(" of a message that must arrive whole\n");
        }
        stored = text.toString().getBytes(UTF_8);
    }

    @AfterEach
    void stopServers() throws InterruptedException {
        for (Process server : servers) {
            kill(server);
        }
    }

    @Test
    void oneRecipientAndMessageGiveSendmailTheSameBytesThroughThePipeAndThroughLmtp() throws Exception {
        Process deliver = java("deliver", "--sender", "someone@example.net", "--recipient", address,
                "--queue-id", QUEUE_ID).redirectErrorStream(true).start();
        try (OutputStream stdin = deliver.getOutputStream()) {
            // As pipe(8) with flags=DR hands it over.
            stdin.write(("Return-Path: <someone@example.net>\nDelivered-To: " + address + "\n").getBytes(UTF_8));
            stdin.write(stored);
        }
        assertTrue(deliver.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, deliver.exitValue(), new String(deliver.getInputStream().readAllBytes(), UTF_8));
        List<byte[]> piped = queuedCopies();
        String pipedArgs = lastArgs;

        serve();
        try (Client client = new Client()) {
            client.envelope("someone@example.net", address);
            client.send(wire(stored));
            assertEquals("250 2.0.0", client.reply().substring(0, 9));
            client.quit();
        }
        List<byte[]> lmtp = queuedCopies();
        assertEquals(1, piped.size());
        assertEquals(1, lmtp.size());
        assertEquals(pipedArgs, lastArgs, "sendmail's arguments");
        String copy = new String(lmtp.get(0), UTF_8);
        assertTrue(copy.startsWith("X-Tempmail-To: " + address + "\n"), copy.substring(0, 200));
        assertTrue(copy.contains("\nSubject: [temp] same bytes\n"));
        assertArrayEquals(piped.get(0), lmtp.get(0), "the bytes sendmail read");
    }

    @Test
    void aConnectionDroppedInTheMiddleOfDataQueuesNothingAndTheNextMessageArrivesOnce() throws Exception {
        serve();
        byte[] data = wire(stored);
        for (int offset : new int[] {0, 1, 300, 65_535, 65_537, 150_000, data.length - 3, data.length - 1}) {
            try (Client client = new Client()) {
                client.envelope("someone@example.net", address);
                client.out.write(data, 0, offset);
                client.out.flush();
            }
            assertEquals(0, queuedCopies().size(), "copies queued when the client went away at byte " + offset);
        }
        try (Client client = new Client()) {
            client.envelope("someone@example.net", address);
            client.send(data);
            assertTrue(client.reply().startsWith("250 2.0.0"));
        }
        assertEquals(1, queuedCopies().size());
        try (Stream<Path> left = Files.list(dir.resolve("spool"))) {
            assertEquals(0, left.count(), "files left in the spool");
        }
    }

    @Test
    void aServerKilledInTheMiddleOfDataQueuesNothing() throws Exception {
        byte[] data = wire(stored);
        List<String> outcomes = new ArrayList<>();
        for (int offset : new int[] {0, 1000, 65_537, 150_000, data.length - 1}) {
            Process server = serve();
            try (Client client = new Client()) {
                client.envelope("someone@example.net", address);
                client.out.write(data, 0, offset);
                client.out.flush();
                Thread.sleep(300);
                kill(server);
            }
            assertEquals(0, queuedCopies().size(), "copies queued when the server was killed at byte " + offset);
            outcomes.add(offset + ":0");
        }
        System.out.println("server killed in DATA at offset:copies " + outcomes);
    }

    @Test
    void anExpiredAddressIs550AFailingSendmailIs451AndAFullServer421() throws Exception {
        serve();
        try (Client client = new Client()) {
            client.envelope("someone@example.net", address);
            client.command("RCPT TO:<" + expired + ">");
            assertTrue(client.reply().startsWith("250 2.1.5"));
            client.send(wire(stored));
            assertTrue(client.reply().startsWith("250 2.0.0"));
            String refused = client.reply();
            assertTrue(refused.startsWith("550 5.1.1 <" + expired + ">: temporary address expired"), refused);
            client.envelope("someone@example.net", address);
            client.send(wire(("Delivered-To: " + address.toUpperCase(Locale.ROOT) + "\n"
                    + new String(stored, UTF_8)).getBytes(UTF_8)));
            String loop = client.reply();
            assertTrue(loop.startsWith("451 4.4.6 mail forwarding loop for " + address), "deferred, as any "
                    + "failure but an invalid address: " + loop);
            Files.createFile(dir.resolve("fail"));
            client.envelope("someone@example.net", address);
            client.send(wire(stored));
            String deferred = client.reply();
            assertEquals("451 4.3.0 sendmail failed with status 1", deferred.strip(), "the short reason, no path");
            try (Client second = new Client(); Client third = new Client(false)) {
                assertTrue(third.reply().startsWith("421 4.3.2 "), "a third session while two are open");
            }
        }
        assertEquals(1, queuedCopies().size());
    }

    @Test
    void eachRecipientIsJudgedAtTheArrivalTheTopReceivedFieldGivesNotAtDelivery() throws Exception {
        String yesterday = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)
                .format(ZonedDateTime.now(ZoneOffset.UTC).minusDays(1));
        String arrivedYesterday = "Received: from c (c [192.0.2.7])\n\tby mx (Postfix) with ESMTP id 4Old1Q; "
                + yesterday + "\nSubject: queued since yesterday\n\nbody\n";
        String forgedBelow = "Received: by mx (Postfix) with ESMTP id 4New2Q; "
                + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC))
                + "\nReceived: by mx (Postfix) with ESMTP id 4Old1Q; " + yesterday + "\n\nbody\n";
        serve();
        try (Client client = new Client()) {
            client.envelope("someone@example.net", expired);
            client.send(wire(arrivedYesterday.getBytes(UTF_8)));
            String reply = client.reply();
            assertTrue(reply.startsWith("250 2.0.0"), "valid when it arrived, yesterday: " + reply);
            client.envelope("someone@example.net", expired);
            client.send(wire(forgedBelow.getBytes(UTF_8)));
            reply = client.reply();
            assertTrue(reply.startsWith("550 5.1.1"), "a field below the top one does not date it: " + reply);
        }
        assertEquals(1, queuedCopies().size());
    }

    /** The DATA content as Postfix's lmtp(8) sends it: CRLF, dots doubled at line starts, the end mark. */
    private static byte[] wire(byte[] stored) {
        String text = new String(stored, ISO_8859_1);
        String stuffed = ("\n" + text).replace("\n.", "\n..").substring(1).replace("\n", "\r\n");
        return (stuffed + ".\r\n").getBytes(ISO_8859_1);
    }

    private String lastArgs;

    private Process serve() throws IOException {
        Process server = java("serve").start();
        servers.add(server);
        BufferedReader log = new BufferedReader(new InputStreamReader(server.getErrorStream(), UTF_8));
        String line;
        while ((line = log.readLine()) != null && !line.contains("lmtp: listening")) {
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

    private ProcessBuilder java(String... command) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> line = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.tempmail.cli.Main", "--config", config.toString()));
        line.addAll(List.of(command));
        return new ProcessBuilder(line);
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
        Thread.sleep(100);
        assertTrue(!sendmailRunning(), "sendmail still running");
        List<byte[]> copies = new ArrayList<>();
        try (Stream<Path> files = Files.list(queue)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("queued.")) {
                    copies.add(Files.readAllBytes(file));
                } else if (name.startsWith("args.")) {
                    lastArgs = Files.readString(file);
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

    /** A client speaking LMTP as Postfix's lmtp(8) does, over the unix socket. */
    private final class Client implements AutoCloseable {
        private final SocketChannel channel;
        private final InputStream in;
        final OutputStream out;

        Client() throws IOException {
            this(true);
        }

        Client(boolean greet) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            in = Channels.newInputStream(channel);
            out = Channels.newOutputStream(channel);
            if (greet) {
                assertTrue(reply().startsWith("220 "));
                command("LHLO test");
                String lhlo = reply();
                assertTrue(lhlo.contains("250-PIPELINING") && lhlo.contains("250 SIZE "), lhlo);
            }
        }

        void envelope(String sender, String recipient) throws IOException {
            command("MAIL FROM:<" + sender + ">");
            assertTrue(reply().startsWith("250 2.1.0"));
            command("RCPT TO:<" + recipient + ">");
            assertTrue(reply().startsWith("250 2.1.5"));
        }

        void send(byte[] data) throws IOException {
            command("DATA");
            assertTrue(reply().startsWith("354 "));
            out.write(data);
            out.flush();
        }

        void quit() throws IOException {
            command("QUIT");
            assertTrue(reply().startsWith("221 "));
        }

        void command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(UTF_8));
            out.flush();
        }

        /** One reply, all its lines. */
        String reply() throws IOException {
            StringBuilder reply = new StringBuilder();
            while (true) {
                StringBuilder line = new StringBuilder();
                int b;
                while ((b = in.read()) >= 0 && b != '\n') {
                    line.append((char) b);
                }
                if (b < 0 && line.isEmpty()) {
                    return reply.toString();
                }
                reply.append(line).append('\n');
                if (line.length() < 4 || line.charAt(3) != '-') {
                    return reply.toString();
                }
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
