package org.tempmail.cli;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.ConfigLoader;

/** Real processes: serve with DELIVERY_SOCKET, and deliver as pipe(8) runs it, handing its message over. */
class DeliverHandoffTest {
    @TempDir
    Path dir;

    private Path config(Path deliverySocket, Path sendmail) throws IOException {
        Path file = dir.resolve("tempmail.cf");
        Files.write(file, List.of("SHARED_SECRET=\"deliver hand-off test\"", "DOMAIN=temp.example.org",
                "MAILDROP=owner@example.org", "TIMEZONE=UTC", "SOCKETMAP_SOCKET_TYPE=unix",
                "SOCKETMAP_UNIX_SOCKET_PATH=" + dir.resolve("socketmap"), "DATABASE=" + dir.resolve("tempmail.db"),
                "SENDMAIL=" + sendmail, "DELIVERY_SOCKET=" + deliverySocket));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        ToolRun init = ToolRun.of(new String[] {"--config", file.toString(), "init"}, new byte[0], Map.of(),
                Clock.systemUTC());
        assertEquals(0, init.status(), init.toString());
        return file;
    }

    /** A sendmail that keeps its arguments, its MAIL_CONFIG and the message, numbered by call. */
    private Path recordingSendmail() throws IOException {
        Path path = dir.resolve("sendmail");
        Files.writeString(path, "#!/bin/sh\nn=$(ls " + dir + " | grep -c '^sent')\n"
                + "printf '%s\\n' \"MAIL_CONFIG=$MAIL_CONFIG\" \"$@\" > " + dir + "/args$n\ncat > " + dir + "/sent$n\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        return path;
    }

    private static Process java(Path config, String... command) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> line = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.tempmail.cli.Main", "--config", config.toString()));
        line.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line);
        builder.environment().put("MAIL_CONFIG", "/etc/postfix-private");
        return builder.start();
    }

    private static String deliver(Path config, String recipient, byte[] message, int expectedStatus)
            throws IOException, InterruptedException {
        Process process = java(config, "deliver", "--sender", "sender@example.net", "--recipient", recipient);
        try (var stdin = process.getOutputStream()) {
            stdin.write(message);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(expectedStatus, process.exitValue(), output);
        return output;
    }

    @Test
    void theServerDeliversForDeliverUntilItStopsThenDeliverWorksAlone() throws Exception {
        Path socket = dir.resolve("deliver.socket");
        Path config = config(socket, recordingSendmail());
        String address = DatedAddressResolver.from(ConfigLoader.load(config).addresses())
                .addressOf(LocalDate.now(ZoneOffset.UTC));
        byte[] message = "Subject: hi\n\nbody \u0000 bytes\n".getBytes(ISO_8859_1);
        Process server = java(config, "serve");
        try {
            BufferedReader log = new BufferedReader(new InputStreamReader(server.getErrorStream(),
                    StandardCharsets.UTF_8));
            assertTrue(log.readLine().startsWith("tempmail serve: listening on unix:"));
            assertEquals("tempmail serve: taking deliveries on unix:" + socket + " (max 32 at once, 1 computing)", log.readLine());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

            assertEquals("", deliver(config, address, message, 0));
            assertTrue(log.readLine().endsWith("(--sender sender@example.net --recipient " + address + "): exit 0"));
            assertEquals(List.of("MAIL_CONFIG=/etc/postfix-private", "-G", "-i", "-f", "sender@example.net", "--",
                    "owner@example.org"), Files.readAllLines(dir.resolve("args0")));
            String sent = Files.readString(dir.resolve("sent0"), ISO_8859_1);
            assertTrue(sent.startsWith("X-Tempmail-To: " + address + "\n"), sent);
            assertTrue(sent.endsWith("\n" + new String(message, ISO_8859_1)), sent);

            assertEquals("5.1.1 <nobody@temp.example.org>: no such temporary address\n",
                    deliver(config, "nobody@temp.example.org", message, 67));
            assertTrue(log.readLine().endsWith("exit 67: 5.1.1 <nobody@temp.example.org>: no such temporary address"));

            new ProcessBuilder("kill", "-TERM", Long.toString(server.pid())).start().waitFor();
            assertTrue(server.waitFor(20, TimeUnit.SECONDS));
            assertFalse(Files.exists(socket), "delivery socket left behind");
        } finally {
            server.destroyForcibly();
        }
        assertEquals("", deliver(config, address, message, 0));
        assertEquals(Files.readString(dir.resolve("sent0"), ISO_8859_1),
                Files.readString(dir.resolve("sent1"), ISO_8859_1), "delivered alike in its own process");
    }

    @Test
    void anythingButThePlainPipeCommandLineIsLeftToTheOrdinaryCommand() throws Exception {
        Path config = config(dir.resolve("deliver.socket"), recordingSendmail());
        for (List<String> args : List.of(List.of("--config", config.toString(), "deliver", "--help"),
                List.of("--config", config.toString(), "deliver", "--config", config.toString()),
                List.of("--version", "deliver"), List.of("--config", config.toString(), "replay"))) {
            ByteArrayInputStream in = new ByteArrayInputStream(new byte[10]);
            PrintStream ignored = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            Optional<Integer> status = DeliverShortcut.attempt(args.toArray(String[]::new), Map.of(), in, ignored,
                    ignored);
            assertEquals(Optional.empty(), status, args.toString());
            assertEquals(10, in.available(), args.toString());
        }
    }

}
