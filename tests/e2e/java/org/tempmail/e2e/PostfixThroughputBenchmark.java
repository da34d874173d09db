package org.tempmail.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Throughput of real mail through a private Postfix instance (bench/postfix-throughput.sh): smtp-source sends
 * N messages to today's temporary address, first through Setup 1 (relay class, pipe, tempmail deliver, sendmail,
 * virtual(8) into the Maildir), then, on the same instance reloaded with Setup 2, through virtual_alias_maps
 * without a pipe. Prints messages per second (from the first connection to the last file in the Maildir) and the
 * mean delay Postfix logs; before each burst, the latency of single messages sent one at a time. Not a test: needs root and the postfix package, like the e2e suite.
 */
public final class PostfixThroughputBenchmark {
    private static final Pattern DELAY = Pattern.compile("relay=(tempmail|virtual), delay=([0-9.]+),.*status=sent");

    private PostfixThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int pipeMessages = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int aliasMessages = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int sessions = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 4096;
        String concurrency = args.length > 4 ? args[4] : "";
        try (TempmailInstance instance = TempmailInstance.start("bench", TempmailInstance.Setup.RELAY)) {
            if (!concurrency.isEmpty()) {
                List<String> lines = new java.util.ArrayList<>(ExampleFiles.relaySetup());
                lines.add("tempmail_destination_concurrency_limit = " + concurrency);
                instance.postfix.reconfigure(lines);
                Thread.sleep(2000);
            }
            String address = instance.addressOf(instance.today());
            System.out.printf(Locale.ROOT, "Postfix %s, %d smtp-source sessions, %d-byte messages to %s, "
                    + "tempmail_destination_concurrency_limit = %s%n",
                    Processes.check(List.of("postconf", "-h", "mail_version")).strip(), sessions, size, address,
                    concurrency.isEmpty() ? "(default)" : concurrency);
            String pipe = "pipe: relay_recipient_maps + transport_maps -> tempmail deliver -> sendmail -> virtual";
            String alias = "no pipe: virtual_alias_maps -> virtual";
            oneAtATime(instance, pipe, address, size);
            run(instance, pipe, address, pipeMessages, sessions, size, true);
            instance.use(TempmailInstance.Setup.VIRTUAL_ALIAS);
            Thread.sleep(2000);
            oneAtATime(instance, alias, address, size);
            run(instance, alias, address, aliasMessages, sessions, size, false);
        }
    }

    /** The latency of one message on an idle instance: send, wait until it is in the Maildir, ten times. */
    private static void oneAtATime(TempmailInstance instance, String label, String address, int size)
            throws Exception {
        Path incoming = instance.postfix.maildir().resolve("new");
        int rounds = 10;
        double total = 0;
        double worst = 0;
        for (int i = 0; i < rounds; i++) {
            long before = count(incoming);
            long start = System.nanoTime();
            smtpSource(instance, address, 1, 1, size);
            while (count(incoming) == before) {
                Thread.sleep(5);
            }
            double elapsed = seconds(start);
            total += elapsed;
            worst = Math.max(worst, elapsed);
        }
        System.out.printf(Locale.ROOT, "%n%s%n  one message at a time, %d times: %.2f s mean, %.2f s max from"
                + " connect to the Maildir%n", label, rounds, total / rounds, worst);
    }

    private static void smtpSource(TempmailInstance instance, String address, int messages, int sessions, int size)
            throws Exception {
        Processes.Result source = Processes.run(List.of("/usr/sbin/smtp-source", "-s", String.valueOf(sessions),
                "-m", String.valueOf(messages), "-l", String.valueOf(size), "-f", "sender@example.net",
                "-t", address, "127.0.0.1:" + instance.postfix.smtpPort()), Duration.ofMinutes(30));
        if (source.status() != 0) {
            throw new IOException("smtp-source failed: " + source.output());
        }
    }

    private static void run(TempmailInstance instance, String label, String address, int messages, int sessions,
            int size, boolean pipe) throws Exception {
        Path incoming = instance.postfix.maildir().resolve("new");
        long before = count(incoming);
        long logStart = Files.exists(instance.postfix.maillog()) ? Files.size(instance.postfix.maillog()) : 0;
        long start = System.nanoTime();
        smtpSource(instance, address, messages, sessions, size);
        double sent = seconds(start);
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (count(incoming) - before < messages) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + (count(incoming) - before) + " of " + messages
                        + " arrived; log tail:\n" + PrivatePostfix.tail(instance.postfix.log(), 20));
            }
            Thread.sleep(20);
        }
        double done = seconds(start);
        String log = instance.postfix.log().substring((int) logStart);
        double pipeDelay = meanDelay(log, "tempmail");
        double virtualDelay = meanDelay(log, "virtual");
        System.out.printf(Locale.ROOT, "  %d messages accepted by smtpd in %.1f s, all in the Maildir after %.1f s:"
                + " %.1f messages/s%n", messages, sent, done, messages / done);
        if (pipe) {
            System.out.printf(Locale.ROOT, "  mean delay (Postfix delay=): %.2f s to the pipe + %.2f s for the"
                    + " resubmitted copy = %.2f s%n", pipeDelay, virtualDelay, pipeDelay + virtualDelay);
        } else {
            System.out.printf(Locale.ROOT, "  mean delay (Postfix delay=): %.2f s%n", virtualDelay);
        }
    }

    private static double meanDelay(String log, String relay) {
        Matcher matcher = DELAY.matcher(log);
        double sum = 0;
        int n = 0;
        while (matcher.find()) {
            if (matcher.group(1).equals(relay)) {
                sum += Double.parseDouble(matcher.group(2));
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
