package org.tempmail.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a real program (postmap, postfix, root) skip with a visible message where it is missing,
 * and fail in CI (CI=true), where .ci/run installs it.
 */
public final class RequiredTool {
    private RequiredTool() {
    }

    /** Skips, or fails in CI, unless {@code available}; {@code what} says what is missing and how to get it. */
    public static void require(boolean available, String what) {
        if (available) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("required in CI but missing: " + what);
        }
        System.err.println("SKIPPED (not available here): " + what);
        Assumptions.abort("not available here: " + what);
    }

    /** Requires an executable file, e.g. /usr/sbin/postmap from Debian's postfix package. */
    public static Path requireExecutable(String path, String packageHint) {
        Path file = Path.of(path);
        require(Files.isExecutable(file), path + " (install " + packageHint + ")");
        return file;
    }
}
