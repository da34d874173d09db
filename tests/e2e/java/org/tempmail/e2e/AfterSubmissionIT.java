package org.tempmail.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once sendmail has accepted a message, deliver exits 0 whatever happens afterwards. The packaged launcher and
 * jar run `deliver` the way pipe(8) does, in a directory the process may write (where an earlier launcher made
 * its class-data archive as the JVM exited), under faults that strike after the submission: file-size limits
 * too small for an archive, a corrupt archive, closed output. Each run must exit 0 and leave exactly one copy.
 */
class AfterSubmissionIT {
    private static final String MESSAGE = "From: someone@example.net\nSubject: once\n\nonly one copy, please\n";

    @TempDir
    Path dir;

    @Test
    void faultsAfterTheSubmissionNeitherChangeTheStatusNorSendAgain() throws Exception {
        PackagedTempmail tempmail = PackagedTempmail.install(dir, List.of("SHARED_SECRET=\"after submission\""));
        Path launcher = tempmail.launcher();
        Path config = tempmail.config();
        String address = run(launcher + " --config " + config + " addresses | head -n 1").out.strip();

        List<String> faults = new ArrayList<>();
        for (int kilobytes : new int[] {8, 64, 512, 4096}) {
            faults.add("ulimit -S -f " + kilobytes + "; ");
        }
        faults.add("exec >&-; ");
        faults.add("exec 2>&-; ");
        faults.add("exec >&- 2>&-; ");
        faults.add("head -c 100000 /dev/urandom > " + launcher.resolveSibling("tempmail.jsa") + "; ");
        String deliver = launcher + " --config " + config + " deliver --sender=someone@example.net --recipient="
                + address;
        for (String fault : faults) {
            Result result = run("printf '" + MESSAGE.replace("\n", "\\n") + "' | (" + fault + deliver + ")");
            assertEquals(0, result.status, "after \"" + fault + "\": " + result.out);
            assertEquals("", result.out, "after \"" + fault + "\"");
            List<String> copies = tempmail.takeQueued();
            assertEquals(List.of(MESSAGE), copies.stream().map(c -> c.substring(c.indexOf("From: "))).toList(),
                    "copies after \"" + fault + "\"");
        }
    }

    private record Result(int status, String out) {
    }

    private static Result run(String shell) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("/bin/bash", "-c", shell).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        return new Result(process.exitValue(), out);
    }
}
