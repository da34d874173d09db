package org.tempmail.address;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.tempmail.config.SchemeName;
import org.tempmail.config.Secret;

/** The digest-based schemes: a hex prefix of a digest over the date YYYYMMDD and the secret. */
public final class DigestSchemes {
    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

    private DigestSchemes() {
    }

    public static DatedScheme create(SchemeName name, Secret secret, int length) {
        if (length < name.minLength() || length > name.maxLength()) {
            throw new IllegalArgumentException("length " + length + " outside " + name.minLength() + ".."
                    + name.maxLength() + " for " + name.configName());
        }
        return switch (name) {
            case MD5 -> md5(secret, length);
            case HMAC_SHA256 -> hmacSha256(secret, length);
        };
    }

    /** postfix-tempmail's addresses: MD5 over the ASCII date followed by the secret's bytes. */
    static DatedScheme md5(Secret secret, int length) {
        byte[] secretBytes = secret.bytes();
        return day -> {
            MessageDigest md5 = newDigest("MD5");
            md5.update(date(day));
            md5.update(secretBytes);
            return hexPrefix(md5.digest(), length);
        };
    }

    /** HMAC-SHA256 keyed with the secret, over the ASCII date. */
    static DatedScheme hmacSha256(Secret secret, int length) {
        SecretKeySpec key = new SecretKeySpec(secret.bytes(), "HmacSHA256");
        return day -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return hexPrefix(mac.doFinal(date(day)), length);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
            }
        };
    }

    private static byte[] date(LocalDate day) {
        return YYYYMMDD.format(day).getBytes(StandardCharsets.US_ASCII);
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is missing from this Java runtime", e);
        }
    }

    private static String hexPrefix(byte[] digest, int length) {
        return HexFormat.of().formatHex(digest).substring(0, length);
    }
}
