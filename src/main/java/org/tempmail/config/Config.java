package org.tempmail.config;

import java.nio.file.Path;
import java.util.List;

/** A loaded tempmail.cf: its settings, and the warnings an administrator should see. */
public record Config(
        Path source,
        AddressSettings addresses,
        SocketmapSettings socketmap,
        DeliverySettings delivery,
        List<String> warnings,
        DatabaseSettings database) {
}
