package org.tempmail.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * This checkout's launcher and built jar installed side by side in a directory of a test's own, as install
 * guide step 2 does, with a sendmail that does what postdrop does: queue whatever it has read once its input
 * ends (the file is written with the file-size limit lifted: postdrop's limits are not the pipe's).
 */
record PackagedTempmail(Path launcher, Path queue, Path config) {
    static PackagedTempmail install(Path dir, List<String> settings) throws IOException {
        Path lib = Files.createDirectory(dir.resolve("lib"));
        Path launcher = lib.resolve("tempmail");
        Files.copy(ExampleFiles.REPOSITORY.resolve("bin/tempmail"), launcher);
        Files.copy(TempmailInstance.JAR, lib.resolve("tempmail.jar"));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path queue = Files.createDirectory(dir.resolve("queue"));
        Path sendmail = dir.resolve("sendmail");
        Files.writeString(sendmail, "#!/bin/sh\nulimit -S -f unlimited\n"
                + "cat > " + queue + "/tmp.$$ && mv " + queue + "/tmp.$$ " + queue + "/queued.$$\n");
        Files.setPosixFilePermissions(sendmail, PosixFilePermissions.fromString("rwx------"));
        Path config = dir.resolve("tempmail.cf");
        List<String> lines = new java.util.ArrayList<>(List.of("DOMAIN=temp.example.org",
                "MAILDROP=owner@example.org", "TIMEZONE=UTC", "SENDMAIL=" + sendmail,
                "DATABASE=" + dir.resolve("tempmail.db"), "SPOOL_DIRECTORY=" + dir.resolve("spool")));
        lines.addAll(settings);
        Files.write(config, lines);
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        return new PackagedTempmail(launcher, queue, config);
    }

    /** The copies queued so far, each removed once read. */
    List<String> takeQueued() throws IOException {
        List<String> copies = new java.util.ArrayList<>();
        try (var files = Files.list(queue)) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().startsWith("queued.")) {
                    copies.add(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1));
                    Files.delete(file);
                }
            }
        }
        return copies;
    }
}
