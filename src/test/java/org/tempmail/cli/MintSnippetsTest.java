package org.tempmail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tempmail.testsupport.RequiredTool;

/**
 * The snippets in mint/ run with their real interpreters, for both schemes, several lengths and secrets, dates
 * around leap days, year ends and clock changes, and "today" at the edges of days in far-apart zones (the clock
 * set with faketime): each must print exactly what {@code tempmail addresses --at} prints for the same settings.
 */
class MintSnippetsTest {
    private static final Path MINT = Path.of("mint").toAbsolutePath();
    private static final Path FAKETIME = Path.of("/usr/bin/faketime");

    private static final String PLAIN_SECRET = "correct horse battery staple";
    /** Quotes, dollars, backslashes and UTF-8: what a shell or an encoding could get wrong. */
    private static final String AWKWARD_SECRET = "it's \"$HOME\" \\ `id` & ; grüße 秘密 ";
    /** Longer than SHA-256's 64-byte block: HMAC hashes such a key first. */
    private static final String LONG_SECRET = "0123456789abcdefghij".repeat(5);

    private static final List<String> DATES = List.of("2024-02-28", "2024-02-29", "2024-03-01", "1999-12-31",
            "2000-01-01", "2026-03-29", "2026-10-25", "2026-12-31", "2027-01-01");

    @TempDir
    static Path work;

    /** A snippet and the command that runs it; {@code machineZone}: it follows TZ when TIMEZONE is empty. */
    record Snippet(String name, List<String> command, boolean machineZone) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Snippet> snippets() {
        return List.of(
                new Snippet("sh", List.of("sh", MINT.resolve("mint.sh").toString()), true),
                new Snippet("python3", List.of("python3", MINT.resolve("mint.py").toString()), true),
                new Snippet("php", List.of("php", MINT.resolve("mint.php").toString()), false),
                new Snippet("node", List.of("node", MINT.resolve("mint.js").toString()), true),
                // Compiled once (a JVM compiling the source each time takes seconds); the source launcher and
                // jshell have tests of their own.
                new Snippet("java", List.of("java", "-cp", compiledMint().toString(), "Mint"), true));
    }

    record Settings(String scheme, int length, String secret) {
        @Override
        public String toString() {
            return scheme + " length " + length + " secret of " + secret.length() + " chars";
        }
    }

    static List<Settings> settings() {
        return List.of(new Settings("hmac-sha256", 8, PLAIN_SECRET), new Settings("hmac-sha256", 64, AWKWARD_SECRET),
                new Settings("hmac-sha256", 13, LONG_SECRET), new Settings("md5", 1, PLAIN_SECRET),
                new Settings("md5", 8, AWKWARD_SECRET), new Settings("md5", 32, LONG_SECRET));
    }

    /**
     * "Today" at an instant in a zone; {@code localDay} is the day it is there, checked against java.time so that
     * a case is at the edge it claims. {@code viaTz}: the zone is the machine's (TZ), TIMEZONE left empty.
     */
    record Today(String utc, String zone, String localDay, boolean viaTz) {
        @Override
        public String toString() {
            return utc + " in " + zone + (viaTz ? " (as the machine's zone)" : "");
        }
    }

    static List<Today> todays() {
        return List.of(
                new Today("2026-06-30T09:59:59Z", "Pacific/Kiritimati", "2026-06-30", false),
                new Today("2026-06-30T10:00:00Z", "Pacific/Kiritimati", "2026-07-01", false),
                new Today("2026-07-01T06:59:59Z", "America/Los_Angeles", "2026-06-30", false),
                new Today("2026-07-01T07:00:00Z", "America/Los_Angeles", "2026-07-01", false),
                // The last Sundays of March and October, 23 and 25 hours long in Berlin.
                new Today("2026-03-28T23:00:00Z", "Europe/Berlin", "2026-03-29", false),
                new Today("2026-03-29T21:59:59Z", "Europe/Berlin", "2026-03-29", false),
                new Today("2026-03-29T22:00:00Z", "Europe/Berlin", "2026-03-30", false),
                new Today("2026-10-25T22:59:59Z", "Europe/Berlin", "2026-10-25", false),
                new Today("2026-10-25T23:00:00Z", "Europe/Berlin", "2026-10-26", false),
                new Today("2026-06-30T10:00:00Z", "Pacific/Kiritimati", "2026-07-01", true),
                new Today("2026-07-01T06:59:59Z", "America/Los_Angeles", "2026-06-30", true));
    }

    @BeforeAll
    static void interpretersPresent() throws Exception {
        for (String[] tool : new String[][] {{"sh", "dash"}, {"openssl", "openssl"}, {"python3", "python3"},
                {"php", "php-cli"}, {"node", "nodejs"}, {"java", "openjdk-17-jdk-headless"},
                {"jshell", "openjdk-17-jdk-headless"}}) {
            RequiredTool.require(onPath(tool[0]), tool[0] + " (install " + tool[1] + ")");
        }
        RequiredTool.requireExecutable(FAKETIME.toString(), "faketime");
    }

    static Stream<Arguments> snippetsAndSettings() {
        return snippets().stream().flatMap(s -> settings().stream().map(t -> Arguments.of(s, t)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("snippetsAndSettings")
    void givenDatesMatchTempmail(Snippet snippet, Settings settings) throws Exception {
        Path config = config(settings, "UTC");
        List<String> expected = new ArrayList<>();
        for (String date : DATES) {
            expected.add(tempmailAddress(config, date + "T12:00"));
        }
        List<String> command = new ArrayList<>(snippet.command());
        command.addAll(DATES);
        assertEquals(expected, run(command, environment(settings, "UTC", "UTC"), null).lines(), snippet.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void anOwnerInTheDatabaseMintsWithItsOwnSecretAndDomain(Snippet snippet) throws Exception {
        Path config = config(new Settings("hmac-sha256", 12, PLAIN_SECRET), "UTC");
        Files.writeString(config, "DATABASE=owners.db\n", StandardOpenOption.APPEND);
        assertEquals(0, tool(config, "init").status());
        ToolRun added = tool(config, "owner", "add", "shop", "--maildrop", "orders@example.com", "--domain",
                "shop.example.com", "--valid-days", "1");
        assertEquals(0, added.status(), added.err());
        Settings owners = new Settings("hmac-sha256", 12, added.out().lines().findFirst().orElseThrow());
        List<String> expected = new ArrayList<>();
        for (String date : DATES) {
            ToolRun run = tool(config, "addresses", "--owner", "shop", "--at", date + "T12:00");
            assertEquals(0, run.status(), run.err());
            expected.add(run.out().strip());
        }
        Map<String, String> environment = environment(owners, "UTC", "UTC");
        environment.put("TEMPMAIL_DOMAIN", "shop.example.com");
        List<String> command = new ArrayList<>(snippet.command());
        command.addAll(DATES);
        assertEquals(expected, run(command, environment, null).lines());
    }

    private static ToolRun tool(Path config, String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return ToolRun.of(all.toArray(String[]::new), new byte[0], Map.of(), Clock.systemUTC());
    }

    @Test
    void theJavaSourceLauncherRunsTheJavaSnippet() throws Exception {
        Settings settings = new Settings("hmac-sha256", 20, AWKWARD_SECRET);
        String printed = run(List.of("java", MINT.resolve("Mint.java").toString(), "2026-03-29"),
                environment(settings, "UTC", "UTC"), null).out();
        assertEquals(tempmailAddress(config(settings, "UTC"), "2026-03-29T12:00"), printed.strip());
    }

    @Test
    void jshellOpensTheJavaSnippet() throws Exception {
        Settings settings = new Settings("md5", 12, AWKWARD_SECRET);
        Path script = work.resolve("mint.jsh");
        Files.writeString(script, "System.out.println(Mint.address(System.getenv(\"TEMPMAIL_SECRET\"), "
                + "java.time.LocalDate.parse(\"2026-10-25\"), \"temp.example.org\", 12, \"md5\"));\n/exit\n");
        String printed = run(List.of("jshell", MINT.resolve("Mint.java").toString(), script.toString()),
                environment(settings, "UTC", "UTC"), null).out();
        assertEquals(tempmailAddress(config(settings, "UTC"), "2026-10-25T12:00"), printed.strip());
    }

    static Stream<Arguments> snippetsAndTodays() {
        return snippets().stream().flatMap(s -> todays().stream()
                .filter(t -> s.machineZone() || !t.viaTz()).map(t -> Arguments.of(s, t)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("snippetsAndTodays")
    void todayFollowsTheOwnersZone(Snippet snippet, Today today) throws Exception {
        Instant instant = Instant.parse(today.utc());
        ZoneId zone = ZoneId.of(today.zone());
        assertEquals(LocalDate.parse(today.localDay()), LocalDate.ofInstant(instant, zone), "the case's own claim");
        Settings settings = new Settings("hmac-sha256", 8, PLAIN_SECRET);
        String expected = tempmailAddress(config(settings, today.zone()), today.utc());
        String processZone = today.viaTz() ? today.zone() : "UTC";
        String printed = run(snippet.command(),
                environment(settings, today.viaTz() ? "" : today.zone(), processZone), instant).out().strip();
        assertEquals(expected, printed, snippet.name() + " at " + today);
        String dayBefore = tempmailAddress(config(settings, today.zone()),
                LocalDate.parse(today.localDay()).minusDays(1) + "T12:00");
        assertNotEquals(dayBefore, printed, "the days either side of the edge have different addresses");
    }

    /** Input a snippet must refuse with a one-line reason rather than print a wrong address. */
    record BadInput(String what, Settings settings, String timezone, String date) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Arguments> snippetsAndBadInput() {
        List<BadInput> inputs = List.of(
                new BadInput("a length the scheme lacks", new Settings("hmac-sha256", 7, PLAIN_SECRET), "UTC",
                        "2026-11-22"),
                new BadInput("month 13", new Settings("md5", 8, PLAIN_SECRET), "UTC", "2026-13-01"),
                new BadInput("a date without its zeros", new Settings("md5", 8, PLAIN_SECRET), "UTC", "2026-1-2"),
                new BadInput("an unknown zone", new Settings("md5", 8, PLAIN_SECRET), "Europe/Berln", null));
        return snippets().stream().flatMap(s -> inputs.stream().map(input -> Arguments.of(s, input)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("snippetsAndBadInput")
    void badInputIsRefusedWithAReason(Snippet snippet, BadInput input) throws Exception {
        List<String> command = new ArrayList<>(snippet.command());
        if (input.date() != null) {
            command.add(input.date());
        }
        ProcessOutput output = runAllowingFailure(command, environment(input.settings(), input.timezone(), "UTC"),
                null);
        assertEquals(2, output.status(), snippet.name() + " printed " + output.out() + output.err());
        assertEquals("", output.out());
        assertEquals(1, output.err().lines().count(), "one line, no stack trace: " + output.err());
    }

    @Test
    void phpAsksForTheZoneRatherThanGuessingIt() throws Exception {
        ProcessOutput output = runAllowingFailure(snippets().get(2).command(),
                environment(new Settings("md5", 8, PLAIN_SECRET), "", "Pacific/Kiritimati"), null);
        assertEquals(2, output.status());
        assertTrue(output.err().contains("TEMPMAIL_TIMEZONE"), output.err());
    }

    private static synchronized Path compiledMint() {
        Path classes = work.resolve("mint-classes");
        if (!Files.isDirectory(classes)) {
            int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                    MINT.resolve("Mint.java").toString());
            assertEquals(0, status, "javac mint/Mint.java");
        }
        return classes;
    }

    private static String tempmailAddress(Path config, String at) {
        ToolRun run = ToolRun.of(new String[] {"--config", config.toString(), "addresses", "--at", at}, new byte[0],
                Map.of(), Clock.systemUTC());
        assertEquals(0, run.status(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(1, lines.size(), "VALID_DAYS=1 prints one address: " + run.out());
        return lines.get(0);
    }

    /** A tempmail.cf with the settings; the secret in a file of its own, byte for byte. */
    private static Path config(Settings settings, String zone) throws IOException {
        Path directory = Files.createTempDirectory(work, "config");
        Path secret = directory.resolve("secret");
        Files.writeString(secret, settings.secret(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path config = directory.resolve("tempmail.cf");
        Files.writeString(config, "SHARED_SECRET_FILE=secret\nDOMAIN=temp.example.org\nMAILDROP=owner@example.org\n"
                + "SCHEME=" + settings.scheme() + "\nLENGTH=" + settings.length() + "\nVALID_DAYS=1\n"
                + "TIMEZONE=" + zone + "\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        return config;
    }

    /** Only what the snippets read, a UTF-8 locale (Java decodes the environment by it) and TZ. */
    private static Map<String, String> environment(Settings settings, String timezoneSetting, String tz) {
        Map<String, String> environment = new HashMap<>();
        environment.put("PATH", System.getenv("PATH"));
        environment.put("HOME", work.toString());
        environment.put("LANG", "C.UTF-8");
        environment.put("TZ", tz);
        environment.put("TEMPMAIL_SECRET", settings.secret());
        environment.put("TEMPMAIL_DOMAIN", "temp.example.org");
        environment.put("TEMPMAIL_LENGTH", Integer.toString(settings.length()));
        environment.put("TEMPMAIL_SCHEME", settings.scheme());
        environment.put("TEMPMAIL_TIMEZONE", timezoneSetting);
        return environment;
    }

    record ProcessOutput(int status, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static ProcessOutput run(List<String> command, Map<String, String> environment, Instant fakeTime)
            throws Exception {
        ProcessOutput output = runAllowingFailure(command, environment, fakeTime);
        assertEquals(0, output.status(), command + " failed: " + output.err());
        return output;
    }

    private static ProcessOutput runAllowingFailure(List<String> command, Map<String, String> environment,
            Instant fakeTime) throws Exception {
        List<String> full = new ArrayList<>();
        if (fakeTime != null) {
            // A standing clock, given in seconds since the epoch: a date and time would be read in the TZ of
            // each process that asks, and mint.sh runs date with TZ set to the owner's zone.
            full.addAll(List.of(FAKETIME.toString(), "-f", Long.toString(fakeTime.getEpochSecond())));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(work.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        if (fakeTime != null) {
            builder.environment().put("FAKETIME_FMT", "%s");
            // The JVM and node time their own work with the monotonic clock, which a standing clock would stop.
            builder.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        }
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process process = builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(full + " did not finish in 120 s");
        }
        return new ProcessOutput(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static boolean onPath(String program) {
        for (String directory : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }
}
