package org.tempmail.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns a tempmail.cf into a {@link Config}: defaults, types, ranges, and warnings. */
public final class ConfigLoader {
    public static final Path DEFAULT_PATH = Path.of("/etc/postfix/tempmail.cf");
    public static final String ENVIRONMENT_VARIABLE = "TEMPMAIL_CONFIG";
    static final String PLACEHOLDER_SECRET = "<Your secret>";
    static final int SHORTEST_GOOD_SECRET = 16;

    private final ConfigFile file;
    private final List<String> warnings = new ArrayList<>();
    private final List<Path> filesRead = new ArrayList<>();

    private ConfigLoader(ConfigFile file) {
        this.file = file;
        warnings.addAll(file.warnings());
        filesRead.add(file.path());
    }

    /** The file named by --config, else by $TEMPMAIL_CONFIG, else /etc/postfix/tempmail.cf. */
    public static Path locate(String optionValue, Map<String, String> environment) {
        if (optionValue != null) {
            return Path.of(optionValue);
        }
        String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return Path.of(fromEnvironment);
        }
        return DEFAULT_PATH;
    }

    public static Config load(Path path) throws ConfigException {
        return from(ConfigFile.read(path));
    }

    static Config from(ConfigFile file) throws ConfigException {
        return new ConfigLoader(file).build();
    }

    private Config build() throws ConfigException {
        for (ConfigFile.Entry entry : file.entries()) {
            if (Key.named(entry.key()).isEmpty()) {
                warnings.add(file.path() + ":" + entry.line() + ": " + KeySpelling.shown(entry.key())
                        + ": unknown key, ignored" + KeySpelling.nearest(entry.key())
                        .map(key -> "; did you mean " + key + "?").orElse(""));
            }
        }
        AddressSettings addresses = addressSettings();
        SocketmapSettings socketmap = socketmapSettings();
        DeliverySettings delivery = deliverySettings();
        DatabaseSettings database = databaseSettings();
        LmtpSettings lmtp = lmtpSettings();
        return new Config(file.path(), addresses, socketmap, delivery, List.copyOf(warnings), database,
                List.copyOf(filesRead), lmtp);
    }

    private AddressSettings addressSettings() throws ConfigException {
        SchemeName scheme = scheme();
        Optional<Secret> secret = secret(Key.SHARED_SECRET, Key.SHARED_SECRET_FILE);
        boolean ownerless = secret.isEmpty() && mayHaveNoDefaultOwner();
        if (secret.isEmpty() && !ownerless) {
            throw error(Key.SHARED_SECRET, "missing; set SHARED_SECRET or SHARED_SECRET_FILE"
                    + nearMiss(Key.SHARED_SECRET) + nearMiss(Key.SHARED_SECRET_FILE));
        }
        int length = integer(Key.LENGTH, scheme.minLength(), scheme.maxLength(),
                " for SCHEME " + scheme.configName());
        String domain = required(Key.DOMAIN, "the domain of the temporary addresses, e.g. DOMAIN=temp.example.org");
        if (domain.contains("@") || domain.isBlank()) {
            throw error(Key.DOMAIN, "not a domain name (expected e.g. temp.example.org)");
        }
        Optional<String> maildrop = Optional.empty();
        if (ownerless) {
            noDefaultOwner();
        } else {
            if (optional(Key.MAILDROP).isEmpty() && databaseSet()) {
                throw bothOrNeither(optional(Key.SHARED_SECRET).isPresent() ? Key.SHARED_SECRET
                        : Key.SHARED_SECRET_FILE);
            }
            maildrop = Optional.of(required(Key.MAILDROP, "the permanent address, e.g. MAILDROP=me@example.org"));
            if (maildrop.get().indexOf('@') <= 0 || maildrop.get().endsWith("@")) {
                throw error(Key.MAILDROP, "not an address (expected local@domain)");
            }
        }
        int validDays = integer(Key.VALID_DAYS, 1, 366, "");
        ZoneId zone = zone();
        String delimiters = recipientDelimiters();
        Optional<DefaultOwner> owner = ownerless ? Optional.empty()
                : Optional.of(new DefaultOwner(secret.orElseThrow(), maildrop.orElseThrow(), previousSecret()));
        return new AddressSettings(scheme, owner, length, domain.toLowerCase(java.util.Locale.ROOT), validDays,
                zone, delimiters);
    }

    private boolean databaseSet() {
        return file.get(Key.DATABASE.name()).isPresent();
    }

    /**
     * With DATABASE set, the owners may all live there: tempmail.cf then needs neither secret nor MAILDROP. A
     * misspelt secret key still counts as a missing secret, not as a wish for no owner of tempmail.cf.
     */
    private boolean mayHaveNoDefaultOwner() {
        return databaseSet() && nearMiss(Key.SHARED_SECRET).isEmpty()
                && nearMiss(Key.SHARED_SECRET_FILE).isEmpty();
    }

    /** Without a secret: refuses the keys that make sense only with one. */
    private void noDefaultOwner() throws ConfigException {
        if (optional(Key.MAILDROP).isPresent() || !nearMiss(Key.MAILDROP).isEmpty()) {
            throw bothOrNeither(Key.MAILDROP);
        }
        for (Key previous : List.of(Key.PREVIOUS_SHARED_SECRET, Key.PREVIOUS_SHARED_SECRET_FILE,
                Key.PREVIOUS_SHARED_SECRET_LAST_DAY)) {
            if (optional(previous).isPresent()) {
                throw error(previous, "set without SHARED_SECRET or SHARED_SECRET_FILE: a previous secret is "
                        + "rotated out of tempmail.cf's owner, which needs both SHARED_SECRET and MAILDROP; set "
                        + "them, or remove " + previous);
            }
        }
    }

    private ConfigException bothOrNeither(Key set) {
        return error(set, "set without " + (set == Key.MAILDROP ? "SHARED_SECRET or SHARED_SECRET_FILE" : "MAILDROP")
                + ": tempmail.cf's owner needs both SHARED_SECRET (or SHARED_SECRET_FILE) and MAILDROP; set both, "
                + "or neither when every owner is in DATABASE (tempmail owner add)" + nearMiss(Key.MAILDROP));
    }

    /** Like Postfix's recipient_delimiter: a set of characters, each of which starts an extension. */
    private String recipientDelimiters() throws ConfigException {
        String delimiters = optional(Key.RECIPIENT_DELIMITER).orElse("");
        for (int i = 0; i < delimiters.length(); i++) {
            char c = delimiters.charAt(i);
            if (c <= ' ' || c > '~' || c == '@' || c == '"' || c == '\\') {
                throw error(Key.RECIPIENT_DELIMITER, "character " + (i + 1) + " cannot start an extension "
                        + "(expected printable ASCII other than @, \\ and \", e.g. + as in Postfix's main.cf)");
            }
        }
        return delimiters;
    }

    private SocketmapSettings socketmapSettings() throws ConfigException {
        String type = value(Key.SOCKETMAP_SOCKET_TYPE);
        SocketType socketType;
        switch (type) {
            case "unix" -> socketType = SocketType.UNIX;
            case "inet" -> socketType = SocketType.INET;
            default -> throw error(Key.SOCKETMAP_SOCKET_TYPE, "neither unix nor inet");
        }
        int maxConnections = integer(Key.SOCKETMAP_MAX_CONNECTIONS, 1, 100_000, "");
        return new SocketmapSettings(
                socketType,
                Path.of(value(Key.SOCKETMAP_UNIX_SOCKET_PATH)),
                optional(Key.SOCKETMAP_UNIX_SOCKET_OWNER_UID),
                optional(Key.SOCKETMAP_UNIX_SOCKET_OWNER_GID),
                octal(Key.SOCKETMAP_UNIX_SOCKET_MODE),
                value(Key.SOCKETMAP_INET_INTERFACE),
                integer(Key.SOCKETMAP_INET_PORT, 1, 65535, ""),
                mapName(Key.SOCKETMAP_NAME),
                mapName(Key.SOCKETMAP_RCPT_NAME),
                mapName(Key.SOCKETMAP_TRANSPORT_NAME),
                mapName(Key.SOCKETMAP_ACCESS_NAME),
                required(Key.TRANSPORT, "a transport such as tempmail:"),
                required(Key.ACCESS_EXPIRED_TEXT, "the text expired addresses are rejected with"),
                integer(Key.SOCKETMAP_MAX_NETSTRING_LENGTH, 16, 100_000, ""),
                Duration.ofSeconds(integer(Key.SOCKETMAP_IDLE_TIMEOUT, 1, 86_400, "")),
                Duration.ofSeconds(integer(Key.SOCKETMAP_REQUEST_TIMEOUT, 1, 3_600, "")),
                maxConnections,
                optional(Key.SOCKETMAP_MAX_CONNECTIONS_PER_PEER).isPresent()
                        ? integer(Key.SOCKETMAP_MAX_CONNECTIONS_PER_PEER, 1, maxConnections, "")
                        : Math.max(1, maxConnections / 2));
    }

    private LmtpSettings lmtpSettings() throws ConfigException {
        Optional<String> listen = optional(Key.LMTP_LISTEN).map(String::strip).filter(v -> !v.isEmpty());
        SocketType type = SocketType.UNIX;
        String path = LmtpSettings.DEFAULT_UNIX_SOCKET;
        String host = "127.0.0.1";
        int port = 24;
        if (listen.isPresent()) {
            String value = listen.get();
            if (value.equals("unix") || value.equals("unix:")) {
                path = LmtpSettings.DEFAULT_UNIX_SOCKET;
            } else if (value.startsWith("unix:/")) {
                path = value.substring("unix:".length());
            } else if (value.startsWith("inet:") && value.lastIndexOf(':') > "inet:".length()) {
                type = SocketType.INET;
                int colon = value.lastIndexOf(':');
                host = value.substring("inet:".length(), colon);
                try {
                    port = Integer.parseInt(value.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 1 || port > 65535) {
                    throw error(Key.LMTP_LISTEN, "\"" + value + "\": the port must be a number from 1 to 65535");
                }
            } else {
                throw error(Key.LMTP_LISTEN, "\"" + value + "\" is neither unix:/ABSOLUTE/PATH nor inet:HOST:PORT "
                        + "(e.g. LMTP_LISTEN=unix:" + LmtpSettings.DEFAULT_UNIX_SOCKET + ")");
            }
        }
        Optional<String> reinject = optional(Key.LMTP_REINJECT).map(String::strip).filter(v -> !v.isEmpty());
        if (reinject.isPresent() && !reinject.get().matches("inet:[^:]+:[0-9]{1,5}")) {
            throw error(Key.LMTP_REINJECT, "\"" + reinject.get() + "\" is not inet:HOST:PORT "
                    + "(e.g. LMTP_REINJECT=inet:127.0.0.1:10026)");
        }
        return new LmtpSettings(listen.isPresent(), type, Path.of(path), optional(Key.LMTP_UNIX_SOCKET_OWNER_UID),
                optional(Key.LMTP_UNIX_SOCKET_OWNER_GID), octal(Key.LMTP_UNIX_SOCKET_MODE), host, port,
                integer(Key.LMTP_MAX_SESSIONS, 1, 10_000, ""),
                integer(Key.LMTP_MESSAGE_SIZE_LIMIT, 1024, Integer.MAX_VALUE, ""),
                Duration.ofSeconds(integer(Key.LMTP_TIMEOUT, 1, 86_400, "")),
                reinject.map(r -> r.substring("inet:".length(), r.lastIndexOf(':'))),
                reinject.map(r -> Integer.parseInt(r.substring(r.lastIndexOf(':') + 1))).orElse(0));
    }

    private DeliverySettings deliverySettings() throws ConfigException {
        List<String> strip = optional(Key.STRIP_HEADERS)
                .map(v -> Arrays.stream(v.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
        for (int i = 0; i < strip.size(); i++) {
            String name = strip.get(i);
            if (!allCharactersBetween(name, '!', '~') || name.indexOf(':') >= 0) {
                throw error(Key.STRIP_HEADERS, "name " + (i + 1) + " is not a header field name");
            }
        }
        return new DeliverySettings(
                optional(Key.SUBJECT_TAG),
                strip,
                Path.of(required(Key.SENDMAIL, "the path of sendmail, e.g. /usr/sbin/sendmail")),
                Duration.ofSeconds(integer(Key.SENDMAIL_TIMEOUT, 1, 86_400, "")),
                deliverySocket(),
                spoolDirectory());
    }

    private Path spoolDirectory() throws ConfigException {
        Optional<String> value = optional(Key.SPOOL_DIRECTORY);
        if (value.isPresent() && !value.get().startsWith("/")) {
            throw error(Key.SPOOL_DIRECTORY, "not an absolute path");
        }
        // Private to the user; under the unit's PrivateTmp also private to the server.
        return value.map(Path::of).orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"),
                "tempmail-" + System.getProperty("user.name")));
    }

    private Optional<Path> deliverySocket() throws ConfigException {
        Optional<String> value = optional(Key.DELIVERY_SOCKET);
        if (value.isPresent() && !value.get().startsWith("/")) {
            throw error(Key.DELIVERY_SOCKET, "not an absolute path");
        }
        return value.map(Path::of);
    }

    private DatabaseSettings databaseSettings() throws ConfigException {
        String location = required(Key.DATABASE, "an SQLite file or a jdbc:postgresql:// URL");
        boolean explicit = file.get(Key.DATABASE.name()).isPresent();
        String origin = where(Key.DATABASE) + (explicit ? "" : " (not set)");
        String lowercase = location.toLowerCase(java.util.Locale.ROOT);
        if (lowercase.startsWith("jdbc:")) {
            if (!lowercase.startsWith(DatabaseSettings.POSTGRESQL_PREFIX + "//")) {
                throw error(Key.DATABASE, "this JDBC URL is not supported (expected an SQLite file "
                        + "or jdbc:postgresql://HOST[:PORT]/DATABASE)");
            }
            if (lowercase.contains("password=")) {
                warnIfReadableByOthers(file.path(), Key.DATABASE, "DATABASE holds a password");
            }
            return new DatabaseSettings(location, explicit, origin);
        }
        Path directory = file.path().toAbsolutePath().getParent();
        Path path = directory == null ? Path.of(location) : directory.resolve(location);
        if (!explicit && Files.exists(path)) {
            warnings.add(origin + ": reading the capability addresses in " + path + ", the former default; set "
                    + "DATABASE=" + path + " in this file: only then is a lost database a failure (mail waits) "
                    + "rather than \"no such address\" (mail bounces)");
        }
        return new DatabaseSettings(path.normalize().toString(), explicit, origin);
    }

    private SchemeName scheme() throws ConfigException {
        String name = value(Key.SCHEME);
        return SchemeName.fromConfigName(name).orElseThrow(() -> error(Key.SCHEME,
                "unknown scheme (expected one of " + SchemeName.allConfigNames() + ")"));
    }

    /** The secret being rotated out, with the last day it made addresses for; both keys or neither. */
    private Optional<PreviousSecret> previousSecret() throws ConfigException {
        Optional<Secret> secret = secret(Key.PREVIOUS_SHARED_SECRET, Key.PREVIOUS_SHARED_SECRET_FILE);
        Optional<String> lastDay = optional(Key.PREVIOUS_SHARED_SECRET_LAST_DAY);
        if (secret.isEmpty()) {
            if (lastDay.isPresent()) {
                throw error(Key.PREVIOUS_SHARED_SECRET_LAST_DAY, "set without PREVIOUS_SHARED_SECRET or "
                        + "PREVIOUS_SHARED_SECRET_FILE; remove it, or name the previous secret");
            }
            return Optional.empty();
        }
        if (lastDay.isEmpty()) {
            throw error(Key.PREVIOUS_SHARED_SECRET_LAST_DAY, "missing; a previous secret needs the day of the "
                    + "rotation, e.g. PREVIOUS_SHARED_SECRET_LAST_DAY=" + java.time.LocalDate.now(zone()));
        }
        try {
            return Optional.of(new PreviousSecret(secret.get(), java.time.LocalDate.parse(lastDay.get())));
        } catch (DateTimeException e) {
            throw error(Key.PREVIOUS_SHARED_SECRET_LAST_DAY,
                    "not a date (expected YYYY-MM-DD, the day of the rotation)");
        }
    }

    /** The secret set inline with {@code inlineKey} or in the file {@code fileKey} names, if either is set. */
    private Optional<Secret> secret(Key inlineKey, Key fileKey) throws ConfigException {
        Optional<String> inline = optional(inlineKey);
        Optional<String> fileName = optional(fileKey);
        if (inline.isPresent() && fileName.isPresent()) {
            throw error(fileKey, "set either " + inlineKey + " or " + fileKey + ", not both");
        }
        Secret secret;
        if (fileName.isPresent()) {
            secret = secretFromFile(fileKey, fileName.get());
        } else if (inline.isPresent()) {
            warnIfReadableByOthers(file.path(), inlineKey, "this file holds " + inlineKey);
            if (inline.get().equals(PLACEHOLDER_SECRET)) {
                warnings.add(where(inlineKey) + ": still postfix-tempmail's placeholder; "
                        + "anyone who reads its documentation can make your addresses");
            }
            secret = new Secret(inline.get());
        } else {
            return Optional.empty();
        }
        if (secret.length() < SHORTEST_GOOD_SECRET) {
            warnings.add(where(fileName.isPresent() ? fileKey : inlineKey)
                    + ": the secret is shorter than " + SHORTEST_GOOD_SECRET + " bytes and easy to guess");
        }
        return Optional.of(secret);
    }

    private Secret secretFromFile(Key key, String name) throws ConfigException {
        Path directory = file.path().toAbsolutePath().getParent();
        Path secretPath = directory == null ? Path.of(name) : directory.resolve(name);
        byte[] bytes;
        filesRead.add(secretPath);
        try {
            bytes = Files.readAllBytes(secretPath);
        } catch (IOException e) {
            throw error(key, "cannot read " + secretPath + ": " + ConfigFile.unreadable(secretPath, e));
        }
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\n') {
            end--;
        }
        if (end == 0) {
            throw error(key, secretPath + " is empty; it must hold the secret");
        }
        warnIfReadableByOthers(secretPath, key, "it holds the secret");
        return new Secret(Arrays.copyOf(bytes, end));
    }

    private void warnIfReadableByOthers(Path path, Key key, String why) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
                warnings.add(where(key) + ": " + path + " can be read by every user, but " + why
                        + " (chmod o-r " + path + ")");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Permissions that cannot be read cannot be judged; reading the file itself already worked.
        }
    }

    private ZoneId zone() throws ConfigException {
        Optional<String> name = optional(Key.TIMEZONE);
        if (name.isEmpty()) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(name.get());
        } catch (DateTimeException e) {
            throw error(Key.TIMEZONE, "unknown time zone (expected a name like Europe/Berlin, or UTC)");
        }
    }

    private String mapName(Key key) throws ConfigException {
        String name = required(key, "a map name");
        if (!allCharactersBetween(name, '!', '~')) {
            throw error(key, "not a usable map name (no spaces or 8-bit characters)");
        }
        return name;
    }

    private int integer(Key key, int min, int max, String context) throws ConfigException {
        String text = value(key);
        int number;
        try {
            number = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw error(key, "not a number (expected " + min + ".." + max + context + ")");
        }
        if (number < min || number > max) {
            throw error(key, number + " is out of range (expected " + min + ".." + max + context + ")");
        }
        return number;
    }

    private int octal(Key key) throws ConfigException {
        String text = value(key);
        if (text.isEmpty() || text.length() > 4 || !allCharactersBetween(text, '0', '7')) {
            throw error(key, "not an octal file mode (expected e.g. 0660)");
        }
        int mode = Integer.parseInt(text, 8);
        if (mode > 0777) {
            throw error(key, "sets special bits (expected permissions up to 0777)");
        }
        return mode;
    }

    private static boolean allCharactersBetween(String text, char lowest, char highest) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < lowest || text.charAt(i) > highest) {
                return false;
            }
        }
        return true;
    }

    private String required(Key key, String expected) throws ConfigException {
        return optional(key).orElseThrow(() -> error(key, "missing; expected " + expected + nearMiss(key)));
    }

    /** "; line 3 sets DOMIAN, an unknown key: a misspelling of DOMAIN?": an unknown key close to a missing one. */
    private String nearMiss(Key key) {
        for (ConfigFile.Entry entry : file.entries()) {
            if (Key.named(entry.key()).isEmpty() && KeySpelling.nearest(entry.key()).equals(Optional.of(key))) {
                return "; line " + entry.line() + " sets " + KeySpelling.shown(entry.key())
                        + ", an unknown key: a misspelling of " + key + "?";
            }
        }
        return "";
    }

    private String value(Key key) throws ConfigException {
        return required(key, "a value");
    }

    private Optional<String> optional(Key key) {
        return file.get(key.name()).map(ConfigFile.Entry::value).or(() -> Optional.ofNullable(key.defaultValue()))
                .filter(v -> !v.isEmpty());
    }

    private ConfigException error(Key key, String what) {
        int line = file.get(key.name()).map(ConfigFile.Entry::line).orElse(0);
        return ConfigException.at(line, key.name(), where(key) + ": " + what);
    }

    private String where(Key key) {
        return file.get(key.name())
                .map(entry -> file.path() + ":" + entry.line() + ": " + key.name())
                .orElse(file.path() + ": " + key.name());
    }
}
