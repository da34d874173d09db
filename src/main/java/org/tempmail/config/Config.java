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

    /** A configuration without an explicit DATABASE. */
    public Config(Path source, AddressSettings addresses, SocketmapSettings socketmap, DeliverySettings delivery,
            List<String> warnings) {
        this(source, addresses, socketmap, delivery, warnings, DatabaseSettings.unset());
    }
}
