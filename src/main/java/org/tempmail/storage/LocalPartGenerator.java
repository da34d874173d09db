package org.tempmail.storage;

import java.security.SecureRandom;

/**
 * Random local parts people can read back and type: lowercase letters and digits without the look-alikes
 * 0/o, 1/l/i. 31 symbols give almost 5 bits each, so the default 20 are about 99 bits.
 */
public final class LocalPartGenerator {
    public static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
    public static final int DEFAULT_LENGTH = 20;
    public static final int SHORT_LENGTH = 12;
    public static final int VERY_SHORT_LENGTH = 8;
    public static final int MIN_LENGTH = 6;
    /** RFC 5321's limit for a local part. */
    public static final int MAX_LENGTH = 64;

    private final SecureRandom random;

    public LocalPartGenerator(SecureRandom random) {
        this.random = random;
    }

    public String next(int length) {
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new IllegalArgumentException("length " + length + " outside " + MIN_LENGTH + ".." + MAX_LENGTH);
        }
        StringBuilder localPart = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            localPart.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return localPart.toString();
    }
}
