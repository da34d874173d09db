package org.tempmail.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/tempmail must turn every odd JVM exit into 75 for deliver, because pipe(8) bounces on status 1. The tests
 * run the real launcher with JAVA_HOME pointing at a fake java that fails the way a broken JVM does.
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
        assertTrue(result.out.startsWith("4.3.0 tempmail: java not found"), result.out);
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
