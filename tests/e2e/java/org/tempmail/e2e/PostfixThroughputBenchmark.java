package org.tempmail.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Throughput of real mail through one private Postfix instance (bench/postfix-throughput.sh): smtp-source sends
 * N messages to today's temporary address through three setups in turn, reloading the same instance between
 * them: Setup 1 with LMTP to tempmail serve (lmtp(8), serve, sendmail, virtual(8) into the Maildir), Setup 1
 * with the pipe (tempmail deliver handing over to serve, sendmail, virtual(8)), and Setup 2 (virtual_alias_maps,
 * no second pass). Prints messages per second (from the first connection to the last file in the Maildir), the
 * mean delay Postfix logs with its delays=a/b/c/d parts, and the peak RSS of all tempmail processes together
 * (serve and every deliver JVM, each pid counted once per sample); before each burst, the latency of single
 * messages sent one at a time. Not a test: needs root and the postfix package, like the e2e suite.
 */
public final class PostfixThroughputBenchmark {
    private static final Pattern DELAY = Pattern.compile("relay=([^,]*), (?:conn_use=\\d+, )?delay=([0-9.]+), "
            + "delays=([0-9.]+)/([0-9.]+)/([0-9.]+)/([0-9.]+),.*status=sent");
    private static final long RSS_SAMPLE_MILLIS = 100;

    private PostfixThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 4096;
        int pipeMessages = args.length > 3 ? Integer.parseInt(args[3]) : messages;
        try (TempmailInstance instance = TempmailInstance.start("bench", TempmailInstance.Setup.LMTP)) {
            String address = instance.addressOf(instance.today());
            System.out.printf(Locale.ROOT, "Postfix %s, %d smtp-source sessions, %d-byte messages to %s, %d cores%n",
                    Processes.check(List.of("postconf", "-h", "mail_version")).strip(), sessions, size, address,
                    Runtime.getRuntime().availableProcessors());
            String lmtp = "LMTP: relay_recipient_maps + transport_maps -> lmtp(8) -> tempmail serve -> sendmail"
                    + " -> virtual";
            oneAtATime(instance, lmtp, address, size);
            run(instance, address, messages, sessions, size, "[tempmail/lmtp]");
            // The same with resubmission over SMTP to a reinjection smtpd instead of sendmail: an edit the same
            // server follows, as each LMTP message starts.
            instance.editConfig("LMTP_REINJECT", "inet:127.0.0.1:" + instance.reinjectPort);
            oneAtATime(instance, lmtp.replace("sendmail", "SMTP to a reinjection smtpd"), address, size);
            run(instance, address, messages, sessions, size, "[tempmail/lmtp]");
            instance.restoreConfig();
            instance.use(TempmailInstance.Setup.RELAY);
            Thread.sleep(2000);
            String pipe = "pipe: relay_recipient_maps + transport_maps -> tempmail deliver (handing over to serve)"
                    + " -> sendmail -> virtual";
            oneAtATime(instance, pipe, address, size);
            run(instance, address, pipeMessages, sessions, size, "tempmail");
            instance.use(TempmailInstance.Setup.VIRTUAL_ALIAS);
            Thread.sleep(2000);
            oneAtATime(instance, "no second pass: virtual_alias_maps -> virtual", address, size);
            run(instance, address, messages, sessions, size, null);
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

    /**
     * An unmeasured burst as large as the measured one first, in every setup alike: the measured burst then
     * meets a server whose compiler has done its work, as a server that has run a while is.
     */
    private static void warmUp(TempmailInstance instance, String address, int messages, int sessions, int size)
            throws Exception {
        Path incoming = instance.postfix.maildir().resolve("new");
        empty(incoming);
        long before = count(incoming);
        smtpSource(instance, address, messages, sessions, size);
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (count(incoming) - before < messages && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        System.out.printf(Locale.ROOT, "  warm-up: %d messages, not measured%n", messages);
    }

    /** {@code firstPass}: how the first delivery's relay= ends (null: there is only the virtual delivery). */
    private static void run(TempmailInstance instance, String address, int messages, int sessions, int size,
            String firstPass) throws Exception {
        warmUp(instance, address, messages, sessions, size);
        Path incoming = instance.postfix.maildir().resolve("new");
        long before = count(incoming);
        long logStart = Files.exists(instance.postfix.maillog()) ? Files.size(instance.postfix.maillog()) : 0;
        AtomicLong peakRss = new AtomicLong();
        String config = instance.config.toString();
        Thread sampler = new Thread(() -> sampleRss(config, peakRss), "rss-sampler");
        sampler.setDaemon(true);
        long start = System.nanoTime();
        sampler.start();
        smtpSource(instance, address, messages, sessions, size);
        double sent = seconds(start);
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (count(incoming) - before < messages) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + (count(incoming) - before) + " of " + messages
                        + " arrived; log tail:\n" + PrivatePostfix.tail(instance.postfix.log(), 20));
            }
            Thread.sleep(50);
        }
        double done = seconds(start);
        sampler.interrupt();
        sampler.join();
        String log = instance.postfix.log().substring((int) logStart);
        System.out.printf(Locale.ROOT, "  burst: %d messages accepted by smtpd in %.1f s, all in the Maildir after"
                + " %.1f s: %.1f messages/s%n", messages, sent, done, messages / done);
        double first = firstPass == null ? 0 : printDelay(log, firstPass, "first delivery");
        double second = printDelay(log, "virtual", firstPass == null ? "virtual" : "resubmitted copy");
        if (firstPass != null) {
            System.out.printf(Locale.ROOT, "  mean delay in all: %.2f s%n", first + second);
        }
        System.out.printf(Locale.ROOT, "  peak RSS of all tempmail processes together: %.1f MB%n",
                peakRss.get() / 1024.0 / 1024.0);
    }

    /** Prints the mean delay= and delays=a/b/c/d of the deliveries whose relay= ends with {@code relay}. */
    private static double printDelay(String log, String relay, String label) {
        Matcher matcher = DELAY.matcher(log);
        double[] sums = new double[5];
        int n = 0;
        while (matcher.find()) {
            if (matcher.group(1).endsWith(relay)) {
                for (int i = 0; i < 5; i++) {
                    sums[i] += Double.parseDouble(matcher.group(2 + i));
                }
                n++;
            }
        }
        System.out.printf(Locale.ROOT, "  mean delay of the %s (%d, relay=...%s): %.2f s, delays=%.2f/%.2f/%.2f/%.2f"
                + " (before qmgr / in qmgr / connect / transmission)%n", label, n, relay, sums[0] / n, sums[1] / n,
                sums[2] / n, sums[3] / n, sums[4] / n);
        return sums[0] / n;
    }

    /**
     * Until interrupted: the largest sum, over one sample, of the RSS of every tempmail process of this instance
     * (serve and the deliver JVMs, all started with its {@code config}; not other tempmail JVMs on the machine).
     * A child a JVM is starting (sendmail) shows the JVM's command line and, sharing its memory until it execs,
     * its RSS: such children are the JVM's own memory and are not counted again.
     */
    private static void sampleRss(String config, AtomicLong peak) {
        // The pids whose command line does not name the config, read once: reading every process's command line
        // at every sample cost the machine about 5 % of its CPU during the bursts. One that names it is read
        // again, as the launcher's shell becomes the JVM by exec.
        java.util.Set<Long> others = new java.util.HashSet<>();
        while (!Thread.currentThread().isInterrupted()) {
            Map<Long, ProcessHandle> tempmail = new java.util.HashMap<>();
            java.util.Set<Long> alive = new java.util.HashSet<>();
            ProcessHandle.allProcesses().forEach(p -> {
                alive.add(p.pid());
                if (others.contains(p.pid())) {
                    return;
                }
                String command = p.info().commandLine().orElse("");
                if (!command.contains(config)) {
                    others.add(p.pid());
                } else if (command.contains("org.tempmail.cli.Main")) {
                    tempmail.put(p.pid(), p);
                }
            });
            others.retainAll(alive);
            long total = tempmail.values().stream()
                    .filter(p -> p.parent().map(parent -> !tempmail.containsKey(parent.pid())).orElse(true))
                    .mapToLong(p -> rssBytes(p.pid()))
                    .sum();
            peak.accumulateAndGet(total, Math::max);
            try {
                Thread.sleep(RSS_SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** VmRSS of one process, 0 when it is gone. */
    private static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Ended between the listing and the read.
        }
        return 0;
    }

    /**
     * Removes the delivered messages before a warm-up: each measured burst then meets a Maildir of the warm-up's
     * files only, so that counting them costs every setup the same, whichever runs last; and the removal's own
     * disk work is done by the time the measured burst starts.
     */
    private static void empty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
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
