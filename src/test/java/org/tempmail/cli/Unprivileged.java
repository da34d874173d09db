package org.tempmail.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tempmail.testsupport.RequiredTool;

/**
 * Runs the tool as a user that file permissions apply to: as root, a new JVM as nobody through setpriv (with the
 * class path copied where nobody can read it); as anyone else, in this JVM as that user.
 */
final class Unprivileged {
    private static final String NOBODY = "65534";

    private final boolean root;
    private final String classPath;

    private Unprivileged(boolean root, String classPath) {
        this.root = root;
        this.classPath = classPath;
    }

    /** {@code dir} must be readable by everyone: the class path (~/.m2 and the checkout) is copied into it. */
    static Unprivileged prepare(Path dir) throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            return new Unprivileged(false, "");
        }
        RequiredTool.requireExecutable("/usr/bin/setpriv", "util-linux");
        Path copies = Files.createDirectory(dir.resolve("classpath"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!Files.exists(path)) {
                continue;
            }
            // Directories too (target/classes): a checkout under /root is closed to nobody.
            Path copy = copies.resolve(n++ + "-" + path.getFileName());
            copyTree(path, copy);
            entries.add(copy.toString());
        }
        return new Unprivileged(true, String.join(File.pathSeparator, entries));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    /** Gives the directory to the user the tool runs as. */
    void own(Path directory) throws IOException, InterruptedException {
        if (root) {
            run(List.of("chown", NOBODY + ":" + NOBODY, directory.toString()));
        }
    }

    ToolRun run(Path config, String... args) throws IOException, InterruptedException {
        if (!root) {
            return EveryPath.tool(config, "", args);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + NOBODY,
                "--regid=" + NOBODY, "--clear-groups", "--", java, "-cp", classPath, "org.tempmail.cli.Main",
                "--config", config.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        String out = new String(process.getInputStream().readAllBytes(), UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new ToolRun(process.exitValue(), out, err);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IOException(command + " exited with " + process.exitValue());
        }
    }
}
