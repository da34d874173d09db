package org.tempmail.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/tempmail must turn every odd JVM exit into 75 for deliver, because pipe(8) bounces on status 1, and a
 * checkout must run its own code. The tests run the real launcher with JAVA_HOME pointing at a fake java that
 * fails the way a broken JVM does or names the jar it was given, and a fake mvn that records its runs.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("bin/tempmail").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void jvmExitingWithStatusOneDefersDelivery() throws Exception {
        Result result = launch("echo 'Error: Could not create the Java Virtual Machine.'\nexit 1",
                "deliver", "--sender", "a@b", "--recipient", "x@temp.example.org");
        assertEquals(75, result.status);
        assertTrue(result.out.endsWith("4.3.0 tempmail: the Java runtime ended with status 1; delivery deferred\n"),
                result.out);
    }

    @Test
    void commandIsFoundAfterTheConfigOptionAndItsValue() throws Exception {
        assertEquals(75, launch("exit 1", "--config", "/etc/postfix/tempmail.cf", "deliver", "--sender", "").status);
        assertEquals(75, launch("exit 1", "--config", "deliver", "deliver").status);
        assertEquals(1, launch("exit 1", "--config", "deliver", "check", "x@y").status,
                "a config file named deliver does not make check a delivery");
        assertEquals(1, launch("exit 1", "check", "deliver").status);
    }

    @Test
    void jvmKilledBySignalDefersDelivery() throws Exception {
        Result result = launch("kill -KILL $$", "deliver", "--sender", "a@b", "--recipient", "x@temp.example.org");
        assertEquals(75, result.status);
        assertTrue(result.out.contains("4.3.0 tempmail: the Java runtime ended with status 137"), result.out);
    }

    @Test
    void statusesPostfixUnderstandsPassThrough() throws Exception {
        for (int status : new int[] {0, 65, 67, 75}) {
            assertEquals(status, launch("exit " + status, "deliver").status);
        }
    }

    @Test
    void theServerExitsWhenOutOfMemoryWhateverFlagsAreGiven() throws Exception {
        // The JVM's own flag: an OutOfMemoryError ends the process (status 3), which the unit restarts.
        assertTrue(launch("echo \"$@\"", "serve").out.contains("-XX:+ExitOnOutOfMemoryError"));
        assertTrue(launchWith("-Xmx32m", "echo \"$@\"", "serve").out.contains("-Xmx32m -XX:+ExitOnOutOfMemoryError"),
                "TEMPMAIL_JAVA_OPTS replaces the heap flags, not this one");
    }

    @Test
    void otherCommandsKeepTheirStatus() throws Exception {
        assertEquals(1, launch("exit 1", "check", "x@y").status);
    }

    @Test
    void missingJavaDefersDelivery() throws Exception {
        Path tools = Files.createDirectories(dir.resolve("tools-without-java"));
        Files.createSymbolicLink(tools.resolve("dirname"), Path.of("/usr/bin/dirname"));
        Result result = run(List.of(LAUNCHER.toString(), "deliver"), dir.resolve("no-such-jdk"), tools.toString(),
                null);
        assertEquals(75, result.status);
        assertEquals("4.3.0 tempmail: cannot start tempmail deliver; delivery deferred\n", result.out,
                "the reason goes to syslog");
    }

    /** A copy of the launcher in a checkout of its own: bin/, pom.xml, the sources; the jar as {@code jar} says. */
    private Path checkout(String jar) throws IOException {
        Path root = dir.resolve("checkout");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(LAUNCHER, root.resolve("bin/tempmail"));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Path main = root.resolve("src/main/java/org/tempmail/cli/Main.java");
        Files.createDirectories(main.getParent());
        Files.writeString(main, "class Main {}\n");
        if (jar != null) {
            Files.createDirectories(root.resolve("target"));
            Files.writeString(root.resolve("target/tempmail.jar"), jar);
        }
        return root;
    }

    /** Runs a checkout's launcher with a fake java that names its jar and a fake mvn that records its runs. */
    private Result inCheckout(Path root, String... args) throws Exception {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        Path mvn = tools.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\necho \"mvn $* MAVEN_OPTS=$MAVEN_OPTS\" >> " + dir.resolve("mvn.log")
                + "\nmkdir -p target && echo built > target/tempmail.jar\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwx------"));
        Path home = dir.resolve("jdk");
        Files.createDirectories(home.resolve("bin"));
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\nfor a; do case \"$prev\" in -cp) echo \"jar $a: $(cat \"$a\")\";; esac; "
                + "prev=$a; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/tempmail").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", home.toString());
        builder.environment().remove("TEMPMAIL_JAR");
        builder.environment().remove("MAVEN_OPTS");
        builder.environment().put("PATH", tools + ":/usr/bin:/bin");
        builder.environment().put("TEMPMAIL_SYSLOG_SOCKET", dir.resolve("no-syslog-here").toString());
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        return new Result(process.exitValue(), out);
    }

    private List<String> mavenRuns() throws IOException {
        Path log = dir.resolve("mvn.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static void age(Path jar, Path source) throws IOException {
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().minusSeconds(3600)));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
    }

    @Test
    void aCheckoutBuildsItsOwnJarOnFirstUseWithoutTerminalCodes() throws Exception {
        Path root = checkout(null);
        Result result = inCheckout(root, "addresses");
        assertEquals(0, result.status, result.out);
        assertTrue(result.out.contains("jar " + root.resolve("target/tempmail.jar") + ": built"), result.out);
        assertEquals(List.of("mvn -B -q package -DskipTests MAVEN_OPTS=-Djansi.noreset=true"), mavenRuns());
    }

    @Test
    void aCheckoutRebuildsOnlyWhenASourceIsNewerThanItsJar() throws Exception {
        Path root = checkout("old");
        Path jar = root.resolve("target/tempmail.jar");
        Path source = root.resolve("src/main/java/org/tempmail/cli/Main.java");
        age(jar, source);
        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(Instant.now().minusSeconds(3600)));
        assertTrue(inCheckout(root, "addresses").out.contains("jar " + jar + ": old"));
        assertEquals(List.of(), mavenRuns(), "the jar is newer than every source");

        Files.setLastModifiedTime(source, FileTime.from(Instant.now()));
        Result edited = inCheckout(root, "addresses");
        assertTrue(edited.out.contains("the sources are newer than " + jar + ": building it"), edited.out);
        assertTrue(edited.out.contains("jar " + jar + ": built"), edited.out);
        assertEquals(1, mavenRuns().size());
    }

    @Test
    void aDeliveryInACheckoutNeverBuilds() throws Exception {
        Path root = checkout(null);
        Result unbuilt = inCheckout(root, "deliver", "--sender", "a@b", "--recipient", "x@temp.example.org");
        assertEquals(75, unbuilt.status, unbuilt.out);
        assertEquals("4.3.0 tempmail: cannot start tempmail deliver; delivery deferred\n", unbuilt.out,
                "no path for the sender: the reason goes to syslog");

        Path jar = Files.writeString(Files.createDirectories(root.resolve("target")).resolve("tempmail.jar"), "old");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(3600)));
        Result stale = inCheckout(root, "deliver", "--sender", "a@b", "--recipient", "x@temp.example.org");
        assertEquals("jar " + jar + ": old\n", stale.out, "the stale jar, as it is");
        assertEquals(List.of(), mavenRuns());
    }

    @Test
    void anInstalledLauncherTakesTheJarBesideIt() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("installed/bin"));
        Files.copy(LAUNCHER, bin.resolve("tempmail"));
        Files.writeString(bin.resolve("tempmail.jar"), "installed");
        Result result = inCheckout(dir.resolve("installed"), "addresses");
        assertEquals("jar " + bin.resolve("tempmail.jar") + ": installed\n", result.out);
        assertEquals(List.of(), mavenRuns());
    }

    private Result launch(String fakeJava, String... args) throws Exception {
        return launchWith(null, fakeJava, args);
    }

    private Result launchWith(String javaOpts, String fakeJava, String... args) throws Exception {
        Path home = dir.resolve("jdk");
        Files.createDirectories(home.resolve("bin"));
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\n" + fakeJava + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        return run(command, home, "/usr/bin:/bin", javaOpts);
    }

    private Result run(List<String> command, Path javaHome, String path, String javaOpts)
            throws IOException, InterruptedException {
        Path jar = dir.resolve("tempmail.jar");
        if (Files.notExists(jar)) {
            Files.createFile(jar);
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("TEMPMAIL_JAR", jar.toString());
        builder.environment().put("PATH", path);
        builder.environment().put("TEMPMAIL_SYSLOG_SOCKET", dir.resolve("no-syslog-here").toString());
        builder.environment().remove("TEMPMAIL_JAVA_OPTS");
        if (javaOpts != null) {
            builder.environment().put("TEMPMAIL_JAVA_OPTS", javaOpts);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        return new Result(process.exitValue(), out);
    }

    private record Result(int status, String out) {
    }
}
