package org.tempmail.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tempmail.config.AddressSettings;
import org.tempmail.config.PreviousSecret;
import org.tempmail.config.SchemeName;
import org.tempmail.config.Secret;

class DatedAddressResolverTest {
    private static final String MAILDROP = "owner@example.org";
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId SAO_PAULO = ZoneId.of("America/Sao_Paulo");

    private static DatedAddressResolver resolver(int validDays, ZoneId zone) {
        DatedScheme md5 = DigestSchemes.create(SchemeName.MD5, new Secret("s3cret"), 8);
        return new DatedAddressResolver(md5, "temp.example.org", MAILDROP, validDays, zone);
    }

    private static Instant at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }

    @Test
    void todaysAndYesterdaysAddressesAreValidUntilTheEndOfTheirWindow() {
        DatedAddressResolver resolver = resolver(2, BERLIN);
        Instant now = at("2026-11-22T12:00+01:00");
        // printf %s 20261122s3cret | md5sum → 0dce3017…; printf %s 20261121s3cret | md5sum → 6b534256…
        assertEquals(new Resolution.Valid(MAILDROP, at("2026-11-24T00:00+01:00")),
                resolver.resolve("0dce3017@temp.example.org", now));
        assertEquals(new Resolution.Valid(MAILDROP, at("2026-11-23T00:00+01:00")),
                resolver.resolve("6b534256@temp.example.org", now));
    }

    @Test
    void addressesAreListedNewestFirst() {
        assertEquals(List.of("0dce3017@temp.example.org", "6b534256@temp.example.org"),
                resolver(2, BERLIN).validAddresses(at("2026-11-22T00:00+01:00")));
        assertEquals(3, resolver(3, BERLIN).validAddresses(at("2026-11-22T00:00+01:00")).size());
    }

    @Test
    void matchingIgnoresCaseInLocalPartAndDomain() {
        DatedAddressResolver resolver = resolver(2, BERLIN);
        Instant now = at("2026-11-22T12:00+01:00");
        assertInstanceOf(Resolution.Valid.class, resolver.resolve("0DCE3017@Temp.Example.ORG", now));
    }

    @Test
    void otherDomainsMalformedKeysAndNearMissesAreUnknown() {
        DatedAddressResolver resolver = resolver(2, BERLIN);
        Instant now = at("2026-11-22T12:00+01:00");
        for (String key : List.of("0dce3017@example.org", "0dce3017", "@temp.example.org", "",
                "0dce301@temp.example.org", "0dce30170@temp.example.org", "\"0dce3017\"@temp.example.org",
                "0dce3017@temp.example.org.", "0dce3017\u0000@temp.example.org", "0dcé3017@temp.example.org")) {
            assertEquals(Resolution.UNKNOWN, resolver.resolve(key, now), key);
        }
    }

    @Test
    void theDayBeforeYesterdayIsExpiredSinceTheStartOfToday() {
        DatedAddressResolver resolver = resolver(2, BERLIN);
        String nov20 = resolver.addressOf(LocalDate.of(2026, 11, 20));
        assertEquals(new Resolution.Expired(at("2026-11-22T00:00+01:00")),
                resolver.resolve(nov20, at("2026-11-22T12:00+01:00")));
    }

    @Test
    void addressesOlderThanTheLookbackAreUnknown() {
        DatedAddressResolver resolver = resolver(2, BERLIN);
        LocalDate today = LocalDate.of(2026, 11, 22);
        Instant now = today.atTime(12, 0).atZone(BERLIN).toInstant();
        int oldestExpired = 2 + DatedAddressResolver.EXPIRED_LOOKBACK_DAYS - 1;
        assertInstanceOf(Resolution.Expired.class,
                resolver.resolve(resolver.addressOf(today.minusDays(oldestExpired)), now));
        assertEquals(Resolution.UNKNOWN, resolver.resolve(resolver.addressOf(today.minusDays(oldestExpired + 1)), now));
    }

    @Test
    void tomorrowsAddressIsNotYetValid() {
        DatedAddressResolver resolver = resolver(2, BERLIN);
        assertEquals(Resolution.UNKNOWN, resolver.resolve(resolver.addressOf(LocalDate.of(2026, 11, 23)),
                at("2026-11-22T23:59:59+01:00")));
    }

    @Test
    void windowEdgeInBerlinWhenClocksGoForward() {
        // 2026-03-29 has 23 hours in Berlin; the address of 03-28 is valid through the end of 03-29.
        DatedAddressResolver resolver = resolver(2, BERLIN);
        String address = resolver.addressOf(LocalDate.of(2026, 3, 28));
        assertInstanceOf(Resolution.Valid.class, resolver.resolve(address, at("2026-03-28T00:00+01:00")));
        assertInstanceOf(Resolution.Valid.class, resolver.resolve(address, at("2026-03-29T23:59:59+02:00")));
        assertEquals(new Resolution.Expired(at("2026-03-30T00:00+02:00")),
                resolver.resolve(address, at("2026-03-30T00:00:00+02:00")));
        assertEquals(Resolution.UNKNOWN, resolver.resolve(address, at("2026-03-27T23:59:59+01:00")));
    }

    @Test
    void windowEdgeInBerlinWhenClocksGoBack() {
        // 2026-10-25 has 25 hours in Berlin.
        DatedAddressResolver resolver = resolver(2, BERLIN);
        String address = resolver.addressOf(LocalDate.of(2026, 10, 24));
        assertInstanceOf(Resolution.Valid.class, resolver.resolve(address, at("2026-10-25T23:59:59+01:00")));
        assertEquals(new Resolution.Expired(at("2026-10-26T00:00+01:00")),
                resolver.resolve(address, at("2026-10-26T00:00:00+01:00")));
    }

    @Test
    void windowEdgeInSaoPauloWhereMidnightDidNotExist() {
        // On 2018-11-04 São Paulo skipped from 00:00 to 01:00: the day began at 01:00 -02:00, which is the
        // instant right after 2018-11-03T23:59:59 -03:00. The address of 11-02 ends there.
        DatedAddressResolver resolver = resolver(2, SAO_PAULO);
        String address = resolver.addressOf(LocalDate.of(2018, 11, 2));
        assertInstanceOf(Resolution.Valid.class, resolver.resolve(address, at("2018-11-03T23:59:59-03:00")));
        assertEquals(new Resolution.Expired(at("2018-11-04T01:00-02:00")),
                resolver.resolve(address, at("2018-11-04T01:00:00-02:00")));
        String nov4 = resolver.addressOf(LocalDate.of(2018, 11, 4));
        assertEquals(new Resolution.Valid(MAILDROP, at("2018-11-06T00:00-02:00")),
                resolver.resolve(nov4, at("2018-11-04T01:00:00-02:00")));
    }

    @Test
    void windowEdgeInSaoPauloWhenAnHourRepeatedBeforeMidnight() {
        // On 2019-02-16 São Paulo went back from 24:00 -02:00 to 23:00 -03:00: that day had 25 hours.
        DatedAddressResolver resolver = resolver(2, SAO_PAULO);
        String address = resolver.addressOf(LocalDate.of(2019, 2, 15));
        assertInstanceOf(Resolution.Valid.class, resolver.resolve(address, at("2019-02-16T23:59:59-02:00")));
        assertInstanceOf(Resolution.Valid.class, resolver.resolve(address, at("2019-02-16T23:59:59-03:00")));
        assertEquals(new Resolution.Expired(at("2019-02-17T00:00-03:00")),
                resolver.resolve(address, at("2019-02-17T00:00:00-03:00")));
    }

    @Test
    void oneValidDayMeansTodayOnly() {
        DatedAddressResolver resolver = resolver(1, BERLIN);
        Instant now = at("2026-11-22T12:00+01:00");
        assertEquals(List.of("0dce3017@temp.example.org"), resolver.validAddresses(now));
        assertInstanceOf(Resolution.Expired.class, resolver.resolve("6b534256@temp.example.org", now));
    }
    /** Rotation on 2026-11-22 with VALID_DAYS=2, in UTC: the previous secret's addresses run out by themselves. */
    @Test
    void aPreviousSecretKeepsItsAddressesValidUntilTheirWindowEndsAndMakesNoNewOnes() {
        LocalDate rotation = LocalDate.of(2026, 11, 22);
        ZoneId utc = ZoneId.of("UTC");
        AddressSettings before = new AddressSettings(SchemeName.HMAC_SHA256, new Secret("the old secret"), 8,
                "temp.example.org", MAILDROP, 2, utc, "+");
        AddressSettings after = new AddressSettings(SchemeName.HMAC_SHA256, new Secret("the new secret"), 8,
                "temp.example.org", MAILDROP, 2, utc, "+",
                Optional.of(new PreviousSecret(new Secret("the old secret"), rotation)));
        DatedAddressResolver old = DatedAddressResolver.from(before);
        DatedAddressResolver rotated = DatedAddressResolver.from(after);
        DatedAddressResolver revoked = DatedAddressResolver.from(new AddressSettings(SchemeName.HMAC_SHA256,
                new Secret("the new secret"), 8, "temp.example.org", MAILDROP, 2, utc, "+"));
        String oldOfRotationDay = old.addressOf(rotation);
        String oldOfDayBefore = old.addressOf(rotation.minusDays(1));
        String oldOfDayAfter = old.addressOf(rotation.plusDays(1));
        Instant rotationDay = at("2026-11-22T12:00Z");
        Instant dayAfter = at("2026-11-23T12:00Z");
        Instant twoDaysAfter = at("2026-11-24T12:00Z");

        assertEquals(new Resolution.Valid(MAILDROP, at("2026-11-24T00:00Z")),
                rotated.resolve(oldOfRotationDay, rotationDay));
        assertEquals(new Resolution.Valid(MAILDROP, at("2026-11-23T00:00Z")),
                rotated.resolve(oldOfDayBefore, rotationDay));
        assertEquals(new Resolution.Valid(MAILDROP, at("2026-11-24T00:00Z")),
                rotated.resolve(oldOfRotationDay, dayAfter));
        assertEquals(Resolution.UNKNOWN, rotated.resolve(oldOfDayAfter, dayAfter), "made after the rotation");
        assertEquals(new Resolution.Expired(at("2026-11-24T00:00Z")), rotated.resolve(oldOfRotationDay, twoDaysAfter));
        assertEquals(new Resolution.Expired(at("2026-11-23T00:00Z")), rotated.resolve(oldOfDayBefore, twoDaysAfter));

        for (Instant at : List.of(rotationDay, dayAfter, twoDaysAfter)) {
            List<String> listed = rotated.validAddresses(at);
            assertEquals(revoked.validAddresses(at), listed, "new addresses come from the new secret only");
            for (String address : listed) {
                assertInstanceOf(Resolution.Valid.class, rotated.resolve(address, at));
                assertFalse(old.validAddresses(at).contains(address));
            }
        }
        assertEquals(Resolution.UNKNOWN, revoked.resolve(oldOfRotationDay, rotationDay), "revoked at once");
        assertEquals(Resolution.UNKNOWN, revoked.resolve(oldOfDayBefore, rotationDay));
    }
}
