package org.tempmail.owners;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tempmail.address.DigestSchemes;
import org.tempmail.config.AddressSettings;
import org.tempmail.config.DefaultOwner;
import org.tempmail.config.PreviousSecret;
import org.tempmail.config.SchemeName;
import org.tempmail.config.Secret;
import org.tempmail.storage.Owner;

/**
 * How owners' dated addresses are made: exactly as tempmail.cf's with SCHEME=hmac-sha256, from the owner's own
 * secret, in its domain, LENGTH characters long.
 */
public final class OwnerAddresses {
    /**
     * The shortest LENGTH for a domain several owners share. With N owners' local parts valid on a day (two per
     * owner at VALID_DAYS=2) the chance that two of them coincide is about N² / 2 / 16^LENGTH: at 100,000 owners
     * 200,000 parts, 1.1e-9 per day at LENGTH 16 (7e-5 at 12, 0.02 at 10).
     */
    public static final int MIN_SHARED_LENGTH = 16;

    private OwnerAddresses() {
    }

    /** The length of owners' local parts: LENGTH, within what hmac-sha256 allows. */
    public static int length(AddressSettings settings) {
        return Math.max(SchemeName.HMAC_SHA256.minLength(), Math.min(SchemeName.HMAC_SHA256.maxLength(),
                settings.length()));
    }

    public static Holder holder(Owner owner, AddressSettings settings) {
        int length = length(settings);
        List<Holder.Generation> generations = new ArrayList<>(2);
        generations.add(new Holder.Generation(DigestSchemes.create(SchemeName.HMAC_SHA256,
                new Secret(owner.secret()), length), LocalDate.MAX));
        if (owner.previousSecret().isPresent() && owner.previousLastDay().isPresent()) {
            generations.add(new Holder.Generation(DigestSchemes.create(SchemeName.HMAC_SHA256,
                    new Secret(owner.previousSecret().get()), length), owner.previousLastDay().get()));
        }
        return new Holder(Optional.of(owner.name()), owner.domainOr(settings.domain()).toLowerCase(Locale.ROOT),
                owner.maildrop(), owner.validDaysOr(settings.validDays()), generations);
    }

    /** tempmail.cf's own owner, with its SCHEME and a secret being rotated out, if tempmail.cf has one. */
    public static Optional<Holder> defaultHolder(AddressSettings settings) {
        return settings.defaultOwner().map(owner -> defaultHolder(settings, owner));
    }

    private static Holder defaultHolder(AddressSettings settings, DefaultOwner owner) {
        List<Holder.Generation> generations = new ArrayList<>(2);
        generations.add(new Holder.Generation(DigestSchemes.create(settings.scheme(), owner.secret(),
                settings.length()), LocalDate.MAX));
        if (owner.previousSecret().isPresent()) {
            PreviousSecret previous = owner.previousSecret().get();
            generations.add(new Holder.Generation(DigestSchemes.create(settings.scheme(), previous.secret(),
                    settings.length()), previous.lastDay()));
        }
        return new Holder(Optional.empty(), settings.domain().toLowerCase(Locale.ROOT), owner.maildrop(),
                settings.validDays(), generations);
    }

    /** The owner's address of the given day. */
    public static String addressOf(Owner owner, AddressSettings settings, LocalDate day) {
        Holder holder = holder(owner, settings);
        return holder.generations().get(0).scheme().localPart(day) + "@" + holder.domain();
    }

    /** The owner's addresses valid on {@code today}, newest first, from its current secret and a rotated one. */
    public static List<String> validAddresses(Owner owner, AddressSettings settings, LocalDate today) {
        Holder holder = holder(owner, settings);
        List<String> addresses = new ArrayList<>();
        for (int back = 0; back < holder.validDays(); back++) {
            LocalDate day = today.minusDays(back);
            for (Holder.Generation generation : holder.generations()) {
                if (!day.isAfter(generation.lastDay())) {
                    addresses.add(generation.scheme().localPart(day) + "@" + holder.domain());
                }
            }
        }
        return addresses;
    }
}
