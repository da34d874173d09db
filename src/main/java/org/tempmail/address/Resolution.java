package org.tempmail.address;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The one answer every path gets for an address at an instant. */
public sealed interface Resolution {

    /**
     * The address is valid: mail goes to {@code target} and is accepted until {@code validUntil} (exclusive).
     * {@code capability} is present for a capability address kept in the database, {@code extension} when the
     * address was asked for with one (the text after RECIPIENT_DELIMITER, e.g. "shop" of 1a2b3c4d+shop@...),
     * {@code owner} when it is an owner's kept in the database (empty: the owner of tempmail.cf).
     */
    record Valid(String target, Instant validUntil, Optional<Capability> capability, Optional<String> extension,
            Optional<String> owner) implements Resolution {
        /** validUntil of an address that does not expire. */
        public static final Instant NO_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

        public Valid {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(validUntil, "validUntil");
            Objects.requireNonNull(capability, "capability");
            Objects.requireNonNull(extension, "extension");
            Objects.requireNonNull(owner, "owner");
        }

        /** An address of tempmail.cf's owner. */
        public Valid(String target, Instant validUntil, Optional<Capability> capability, Optional<String> extension) {
            this(target, validUntil, capability, extension, Optional.empty());
        }

        /** An address asked for without an extension. */
        public Valid(String target, Instant validUntil, Optional<Capability> capability) {
            this(target, validUntil, capability, Optional.empty());
        }

        /** A dated address. */
        public Valid(String target, Instant validUntil) {
            this(target, validUntil, Optional.empty());
        }

        public Valid withExtension(Optional<String> asked) {
            return new Valid(target, validUntil, capability, asked, owner);
        }

        public Valid withOwner(Optional<String> name) {
            return new Valid(target, validUntil, capability, extension, name);
        }
    }

    /** The address was valid once and stopped being valid at {@code since}. */
    record Expired(Instant since) implements Resolution {
    }

    /** The address is not one of ours, or not one we can recognise. */
    record Unknown() implements Resolution {
    }

    /** What delivery needs to know about a capability address: the address as stored and its note. */
    record Capability(String address, String note) {
    }

    Resolution UNKNOWN = new Unknown();
}
