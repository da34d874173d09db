package org.tempmail.cli.owner;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.tempmail.cli.command.UsageException;
import org.tempmail.config.Config;
import org.tempmail.owners.OwnerAddresses;
import org.tempmail.storage.NewOwner;
import org.tempmail.storage.Owner;

/** The checks a new owner passes before it is stored, the same for `owner add` and `owner import`. */
final class OwnerRules {
    /** As many days as an expired address is still recognised for: a longer window would outlive that. */
    static final int MAX_VALID_DAYS = 90;

    private OwnerRules() {
    }

    static String checkName(String name) throws UsageException {
        if (!NewOwner.isValidName(name)) {
            throw new UsageException("owner name \"" + name + "\" refused: lowercase letters, digits and . _ - "
                    + "(not first), up to " + NewOwner.MAX_NAME_LENGTH + " characters");
        }
        return name;
    }

    static String checkMaildrop(String maildrop, String domain, Config config) throws UsageException {
        int at = maildrop.lastIndexOf('@');
        if (at <= 0 || at == maildrop.length() - 1 || maildrop.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new UsageException("--maildrop: \"" + maildrop + "\" is not an address (expected local@domain)");
        }
        String maildropDomain = maildrop.substring(at + 1).toLowerCase(Locale.ROOT);
        String defaultDomain = config.addresses().domain().toLowerCase(Locale.ROOT);
        if (maildropDomain.equals(domain) || maildropDomain.equals(defaultDomain)) {
            throw new UsageException("--maildrop: \"" + maildrop + "\" is in a temporary domain: mail to it would "
                    + "come back here (expected a permanent address)");
        }
        return maildrop;
    }

    static Optional<String> checkDomain(String domain, Config config) throws UsageException {
        if (domain == null) {
            return Optional.empty();
        }
        String lower = domain.toLowerCase(Locale.ROOT);
        if (!lower.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
            throw new UsageException("--domain: \"" + domain + "\" is not a domain name (e.g. temp.example.net)");
        }
        if (config.addresses().maildropDomain().equals(Optional.of(lower))) {
            throw new UsageException("--domain: " + lower + " is the domain of MAILDROP, a permanent one; give a "
                    + "domain for temporary addresses only");
        }
        return Optional.of(lower);
    }

    static OptionalInt checkValidDays(String text) throws UsageException {
        if (text == null) {
            return OptionalInt.empty();
        }
        if (!text.matches("[0-9]{1,3}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX_VALID_DAYS) {
            throw new UsageException("--valid-days: \"" + text + "\" is not a whole number from 1 to "
                    + MAX_VALID_DAYS);
        }
        return OptionalInt.of(Integer.parseInt(text));
    }

    /**
     * Refuses an owner in a domain others use (tempmail.cf's owner uses DOMAIN) while LENGTH is too short to
     * keep their local parts apart (README, "Several owners").
     */
    static void checkShared(String domain, List<Owner> existing, List<NewOwner> adding, Config config)
            throws UsageException {
        int length = OwnerAddresses.length(config.addresses());
        if (length >= OwnerAddresses.MIN_SHARED_LENGTH) {
            return;
        }
        String defaultDomain = config.addresses().domain().toLowerCase(Locale.ROOT);
        long others = existing.stream().filter(o -> o.domainOr(defaultDomain).equals(domain)).count()
                + adding.stream().filter(o -> o.domain().orElse(defaultDomain).equals(domain)).count()
                + (domain.equals(defaultDomain) && config.addresses().defaultOwner().isPresent() ? 1 : 0);
        if (others > 0) {
            throw new UsageException("LENGTH is " + config.addresses().length() + "; owners who share a domain ("
                    + domain + ") need LENGTH="
                    + OwnerAddresses.MIN_SHARED_LENGTH + " or more, or their addresses could coincide: raise LENGTH "
                    + "in tempmail.cf (this changes the addresses of tempmail.cf's owner too) or give --domain "
                    + "a domain of its own");
        }
    }
}
