package org.tempmail.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.tempmail.config.SchemeName;
import org.tempmail.config.Secret;

/**
 * Expected values were computed outside this code, with coreutils and OpenSSL:
 * md5:         printf %s 20261122s3cret | md5sum
 * hmac-sha256: printf %s 20261122 | openssl dgst -sha256 -hmac s3cret
 */
class DigestSchemesTest {
    private static final Secret SECRET = new Secret("s3cret");
    private static final LocalDate NOV_22 = LocalDate.of(2026, 11, 22);

    @Test
    void md5MatchesPostfixTempmailBitForBit() {
        DatedScheme scheme = DigestSchemes.create(SchemeName.MD5, SECRET, 8);
        assertEquals("0dce3017", scheme.localPart(NOV_22));
        assertEquals("6b534256", scheme.localPart(LocalDate.of(2026, 11, 21)));
        assertEquals("3b97febd", scheme.localPart(LocalDate.of(2018, 11, 4)));
    }

    @Test
    void md5UsesFullDigestAtLength32AndOneDigitAtLength1() {
        assertEquals("0dce30179d7dd62eedb07b42b908b6b8",
                DigestSchemes.create(SchemeName.MD5, SECRET, 32).localPart(NOV_22));
        assertEquals("0", DigestSchemes.create(SchemeName.MD5, SECRET, 1).localPart(NOV_22));
    }

    @Test
    void md5HashesTheSecretAsUtf8LikeTheShellDoes() {
        // printf %s 20261122pässwort-ü | md5sum (in a UTF-8 locale)
        assertEquals("b15154e2",
                DigestSchemes.create(SchemeName.MD5, new Secret("pässwort-ü"), 8).localPart(NOV_22));
    }

    @Test
    void hmacSha256MatchesOpenssl() {
        DatedScheme scheme = DigestSchemes.create(SchemeName.HMAC_SHA256, SECRET, 64);
        assertEquals("fe782a32981b3f3b2aa441ea307fdf2a64ebc1763414affafb21968a012f3ac8", scheme.localPart(NOV_22));
        assertEquals("1bb0fc153d21ebaae35dc599bc511298107280b6d4e0cdc80c3f1a37a3738676",
                scheme.localPart(LocalDate.of(2026, 11, 21)));
    }

    @Test
    void hmacSha256TakesThePrefixOfTheRequestedLength() {
        assertEquals("fe782a32", DigestSchemes.create(SchemeName.HMAC_SHA256, SECRET, 8).localPart(NOV_22));
        // printf %s 20261122 | openssl dgst -sha256 -hmac 'pässwort-ü'
        assertEquals("a110f0de22",
                DigestSchemes.create(SchemeName.HMAC_SHA256, new Secret("pässwort-ü"), 10).localPart(NOV_22));
    }

    @Test
    void hmacSha256AgreesWithTheJdksMacForKeysShorterThanLongerThanAndAsLongAsABlock() throws Exception {
        for (int keyLength : new int[] {1, 16, 63, 64, 65, 200}) {
            String key = "k".repeat(keyLength - 1) + "é";
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = HexFormat.of().formatHex(mac.doFinal("20261122".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(expected, DigestSchemes.create(SchemeName.HMAC_SHA256, new Secret(key), 64).localPart(NOV_22),
                    "key of " + keyLength + " characters");
        }
    }

    @Test
    void lengthsOutsideTheSchemesRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DigestSchemes.create(SchemeName.MD5, SECRET, 33));
        assertThrows(IllegalArgumentException.class, () -> DigestSchemes.create(SchemeName.HMAC_SHA256, SECRET, 7));
    }
}
