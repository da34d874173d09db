package org.tempmail.address;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import org.tempmail.config.SchemeName;
import org.tempmail.config.Secret;

/** The digest-based schemes: a hex prefix of a digest over the date YYYYMMDD and the secret. */
public final class DigestSchemes {
    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;
    private static final int SHA256_BLOCK_SIZE = 64;

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

    /**
     * HMAC-SHA256 (RFC 2104) keyed with the secret, over the ASCII date. Built on MessageDigest rather than
     * javax.crypto.Mac: the same function, without the JCE provider set-up that costs each deliver process
     * about 20 ms (README, Performance). Only the key is kept, the padded blocks made for each day: an owner
     * index holds a scheme for each of 100,000 owners. Tests compare it with javax.crypto.Mac and with openssl.
     */
    static DatedScheme hmacSha256(Secret secret, int length) {
        byte[] key = secret.bytes();
        if (key.length > SHA256_BLOCK_SIZE) {
            key = newDigest("SHA-256").digest(key);
        }
        byte[] shortKey = key;
        return day -> {
            MessageDigest sha256 = newDigest("SHA-256");
            sha256.update(pad(shortKey, (byte) 0x36));
            sha256.update(date(day));
            byte[] inner = sha256.digest();
            sha256.update(pad(shortKey, (byte) 0x5c));
            sha256.update(inner);
            return hexPrefix(sha256.digest(), length);
        };
    }

    /** The key padded with zeros to a block, each byte XORed with {@code with}: made anew for each digest. */
    private static byte[] pad(byte[] key, byte with) {
        byte[] padded = new byte[SHA256_BLOCK_SIZE];
        for (int i = 0; i < SHA256_BLOCK_SIZE; i++) {
            padded[i] = (byte) ((i < key.length ? key[i] : 0) ^ with);
        }
        return padded;
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
        String hex = HexFormat.of().formatHex(digest, 0, (length + 1) / 2);
        return hex.length() == length ? hex : hex.substring(0, length);
    }
}
