package org.tempmail.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A loaded tempmail.cf: its settings, the warnings an administrator should see, and {@code files}: every file it
 * was read from (tempmail.cf first, then the secret files), whose changes a running server follows; {@code lmtp}:
 * where serve takes mail by LMTP, if it does.
 */
public record Config(
        Path source,
        AddressSettings addresses,
        SocketmapSettings socketmap,
        DeliverySettings delivery,
        List<String> warnings,
        DatabaseSettings database,
        List<Path> files,
        LmtpSettings lmtp) {
}
