package org.tempmail.handoff;

import java.nio.file.Path;
import java.util.Optional;

/** Whether the server delivers with the configuration a deliver process was started with. */
@FunctionalInterface
public interface ServedConfig {
    /**
     * Empty when the server serves the file {@code clientConfig} names, brought up to date with it first (the
     * client may have read an edit the server has not reloaded yet); otherwise why the client is declined.
     */
    Optional<String> declineReason(Path clientConfig);
}
