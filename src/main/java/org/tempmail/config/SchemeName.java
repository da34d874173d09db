package org.tempmail.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The ways a day's local part can be derived from the date and the secret, with the lengths each allows. */
public enum SchemeName {
    /** postfix-tempmail's scheme: MD5(YYYYMMDD ‖ secret). */
    MD5("md5", 1, 32),
    /** HMAC-SHA256 keyed with the secret over YYYYMMDD. */
    HMAC_SHA256("hmac-sha256", 8, 64);

    private final String configName;
    private final int minLength;
    private final int maxLength;

    SchemeName(String configName, int minLength, int maxLength) {
        this.configName = configName;
        this.minLength = minLength;
        this.maxLength = maxLength;
    }

    public String configName() {
        return configName;
    }

    public int minLength() {
        return minLength;
    }

    public int maxLength() {
        return maxLength;
    }

    public static Optional<SchemeName> fromConfigName(String name) {
        for (SchemeName scheme : values()) {
            if (scheme.configName.equals(name)) {
                return Optional.of(scheme);
            }
        }
        return Optional.empty();
    }

    public static String allConfigNames() {
        return Arrays.stream(values()).map(SchemeName::configName).collect(Collectors.joining(", "));
    }
}
