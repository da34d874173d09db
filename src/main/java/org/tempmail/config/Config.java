package org.tempmail.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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

    /**
     * tempmail.cf's own owner, for a command that needs it; without one (a tempmail.cf whose owners are all in
     * DATABASE) an error that names the file, the keys and the fix: {@code instead}, e.g. "give --owner NAME".
     */
    public DefaultOwner defaultOwner(String instead) throws ConfigException {
        Optional<DefaultOwner> owner = addresses.defaultOwner();
        if (owner.isEmpty()) {
            throw new ConfigException(source + ": there is no owner of tempmail.cf, as it sets neither "
                    + "SHARED_SECRET (or SHARED_SECRET_FILE) nor MAILDROP: " + instead + ", or set "
                    + "SHARED_SECRET_FILE and MAILDROP in " + source, "no owner of tempmail.cf");
        }
        return owner.get();
    }
}
