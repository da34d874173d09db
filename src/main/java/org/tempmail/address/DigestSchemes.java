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
     * about 20 ms (README, Performance). The digests of the two padded keys are taken once and copied for each
     * day, which halves the work of a local part (an owner index computes hundreds of thousands). Tests compare
     * it with javax.crypto.Mac and with openssl.
     */
    static DatedScheme hmacSha256(Secret secret, int length) {
        byte[] key = secret.bytes();
        if (key.length > SHA256_BLOCK_SIZE) {
            key = newDigest("SHA-256").digest(key);
        }
        byte[] innerPad = new byte[SHA256_BLOCK_SIZE];
        byte[] outerPad = new byte[SHA256_BLOCK_SIZE];
        for (int i = 0; i < SHA256_BLOCK_SIZE; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
        MessageDigest keyedInner = newDigest("SHA-256");
        keyedInner.update(innerPad);
        MessageDigest keyedOuter = newDigest("SHA-256");
        keyedOuter.update(outerPad);
        return day -> {
            MessageDigest inner = copy(keyedInner);
            inner.update(date(day));
            MessageDigest outer = copy(keyedOuter);
            outer.update(inner.digest());
            return hexPrefix(outer.digest(), length);
        };
    }

    /** A copy of a digest's state: SHA-256 of the JDK's own provider can always be cloned. */
    private static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(digest.getAlgorithm() + " of " + digest.getProvider()
                    + " cannot be copied", e);
        }
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
