package org.tempmail.address;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.tempmail.config.AddressSettings;
import org.tempmail.config.DefaultOwner;
import org.tempmail.config.PreviousSecret;

/**
 * Resolves the addresses of a dated scheme. The address of day D is valid from the start of D to the end of
 * day D + validDays - 1 in the configured zone; older addresses are recognised as expired for a while after.
 * While a secret is rotated out, the addresses its scheme made for days up to its last day are judged alike, so
 * they run out by themselves; new addresses come from the current scheme only.
 */
public final class DatedAddressResolver implements Resolver {
    /** How many days past its window an address is still reported as expired rather than unknown. */
    static final int EXPIRED_LOOKBACK_DAYS = 90;

    private final DatedScheme scheme;
    private final List<Generation> generations;
    private final String domain;
    private final String target;
    private final int validDays;
    private final ZoneId zone;
    private volatile DayTable table;

    /** A scheme that validates the addresses it made for days up to {@code lastDay}. */
    private record Generation(DatedScheme scheme, LocalDate lastDay) {
    }

    public DatedAddressResolver(DatedScheme scheme, String domain, String target, int validDays, ZoneId zone) {
        this(scheme, List.of(), domain, target, validDays, zone);
    }

    private DatedAddressResolver(DatedScheme scheme, List<Generation> previous, String domain, String target,
            int validDays, ZoneId zone) {
        if (validDays < 1) {
            throw new IllegalArgumentException("validDays must be at least 1");
        }
        this.scheme = scheme;
        List<Generation> all = new ArrayList<>(List.of(new Generation(scheme, LocalDate.MAX)));
        all.addAll(previous);
        this.generations = List.copyOf(all);
        this.domain = domain;
        this.target = target;
        this.validDays = validDays;
        this.zone = zone;
    }

    /** tempmail.cf's owner's addresses; the settings must have one. */
    public static DatedAddressResolver from(AddressSettings settings) {
        return from(settings, settings.defaultOwner().orElseThrow(() ->
                new IllegalArgumentException("tempmail.cf has no owner of its own")));
    }

    /** The addresses of tempmail.cf's owner {@code owner}, made as {@code settings} say. */
    public static DatedAddressResolver from(AddressSettings settings, DefaultOwner owner) {
        DatedScheme scheme = DigestSchemes.create(settings.scheme(), owner.secret(), settings.length());
        List<Generation> previous = new ArrayList<>();
        if (owner.previousSecret().isPresent()) {
            PreviousSecret secret = owner.previousSecret().get();
            previous.add(new Generation(DigestSchemes.create(settings.scheme(), secret.secret(), settings.length()),
                    secret.lastDay()));
        }
        return new DatedAddressResolver(scheme, previous, settings.domain(), owner.maildrop(),
                settings.validDays(), settings.zone());
    }

    @Override
    public Resolution resolve(String address, Instant at) {
        int separator = address.lastIndexOf('@');
        if (separator <= 0 || !address.substring(separator + 1).equalsIgnoreCase(domain)) {
            return Resolution.UNKNOWN;
        }
        byte[] candidate = asciiLowercase(address.substring(0, separator)).getBytes(StandardCharsets.UTF_8);
        LocalDate today = LocalDate.ofInstant(at, zone);
        DayTable days = tableFor(today);
        int back = indexOf(candidate, days.window);
        if (back >= 0) {
            return new Resolution.Valid(target, endOfWindow(today.minusDays(back)));
        }
        back = indexOf(candidate, days.expired());
        if (back >= 0) {
            return new Resolution.Expired(endOfWindow(today.minusDays(validDays + back)));
        }
        return Resolution.UNKNOWN;
    }

    /**
     * The day (index of the outer array) whose local parts, one per generation, include the candidate, or -1.
     * Compares with every one without stopping early, so timing tells nothing about which part matched or how
     * much of it.
     */
    private static int indexOf(byte[] candidate, byte[][][] localParts) {
        int match = -1;
        for (int i = localParts.length - 1; i >= 0; i--) {
            for (byte[] localPart : localParts[i]) {
                if (MessageDigest.isEqual(candidate, localPart)) {
                    match = i;
                }
            }
        }
        return match;
    }

    private Instant endOfWindow(LocalDate day) {
        return day.plusDays(validDays).atStartOfDay(zone).toInstant();
    }

    /** The addresses valid at the given instant, newest first. */
    public List<String> validAddresses(Instant at) {
        LocalDate today = LocalDate.ofInstant(at, zone);
        List<String> addresses = new ArrayList<>(validDays);
        for (int back = 0; back < validDays; back++) {
            addresses.add(scheme.localPart(today.minusDays(back)) + "@" + domain);
        }
        return addresses;
    }

    /** The address of the given day. */
    public String addressOf(LocalDate day) {
        return scheme.localPart(day) + "@" + domain;
    }

    public String domain() {
        return domain;
    }

    private DayTable tableFor(LocalDate today) {
        DayTable current = table;
        if (current == null || !current.today.equals(today)) {
            current = new DayTable(today, generations, validDays);
            table = current;
        }
        return current;
    }

    private static String asciiLowercase(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] = (char) (chars[i] + ('a' - 'A'));
            }
        }
        return new String(chars);
    }

    /**
     * The local parts of the window (index = days back from today) and, made only when an address is not in the
     * window, of the days before it (index = days back from the window's oldest day): a delivery that finds its
     * address valid computes two digests per generation, not ninety-two. A day past a generation's last day has
     * none of its local parts.
     */
    private static final class DayTable {
        final LocalDate today;
        final byte[][][] window;
        private final List<Generation> generations;
        private final int validDays;
        private volatile byte[][][] expired;

        DayTable(LocalDate today, List<Generation> generations, int validDays) {
            this.today = today;
            this.generations = generations;
            this.validDays = validDays;
            this.window = localParts(0, validDays);
        }

        byte[][][] expired() {
            byte[][][] parts = expired;
            if (parts == null) {
                parts = localParts(validDays, EXPIRED_LOOKBACK_DAYS);
                expired = parts;
            }
            return parts;
        }

        private byte[][][] localParts(int firstDayBack, int count) {
            byte[][][] parts = new byte[count][][];
            for (int i = 0; i < count; i++) {
                // No streams: a deliver process builds this table once, and its first lambda costs milliseconds.
                LocalDate day = today.minusDays(firstDayBack + i);
                List<byte[]> ofDay = new ArrayList<>(generations.size());
                for (Generation generation : generations) {
                    if (!day.isAfter(generation.lastDay())) {
                        ofDay.add(generation.scheme().localPart(day).getBytes(StandardCharsets.US_ASCII));
                    }
                }
                parts[i] = ofDay.toArray(new byte[0][]);
            }
            return parts;
        }
    }
}
