package org.tempmail.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String SECRET = "a-long-enough-secret-value";
    private static final String BASICS = "SHARED_SECRET=\"" + SECRET + "\"\nDOMAIN=temp.example.org\n"
            + "MAILDROP=owner@example.org\n";

    @TempDir
    Path dir;

    private Path write(String name, String content, String permissions) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    private Config load(String content) throws Exception {
        return ConfigLoader.load(write("tempmail.cf", content, "rw-------"));
    }

    private String error(String content) throws IOException {
        Path file = write("tempmail.cf", content, "rw-------");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertFalse(e.getMessage().contains(SECRET), "the secret leaked into: " + e.getMessage());
        return e.getMessage().replace(file.toString(), "FILE");
    }

    @Test
    void recipientDelimiterDefaultsToPlusAndMayBeSeveralCharactersOrNone() throws Exception {
        assertEquals("+", load(BASICS).addresses().recipientDelimiters(), "Debian's recipient_delimiter");
        assertEquals("+-", load(BASICS + "RECIPIENT_DELIMITER=+-\n").addresses().recipientDelimiters());
        assertEquals("", load(BASICS + "RECIPIENT_DELIMITER=\n").addresses().recipientDelimiters());
        for (String bad : new String[] {"@", "+@", "' '", "'\\'", "'\"'"}) {
            assertEquals("FILE:4: RECIPIENT_DELIMITER: character " + (bad.equals("+@") ? 2 : 1)
                    + " cannot start an extension (expected printable ASCII other than @, \\ and \", e.g. + as in "
                    + "Postfix's main.cf)", error(BASICS + "RECIPIENT_DELIMITER=" + bad + "\n"), bad);
        }
    }

    @Test
    void postfixTempmailsOwnConfigurationIsReadWithItsMeaning() throws Exception {
        Config config = load("""
                # E-Mail adresses
                SHARED_SECRET="my own secret, not the placeholder"
                DOMAIN="example.com"
                MAILDROP="permanent-address@example.com"
                LENGTH=8

                SOCKETMAP_SOCKET_TYPE="unix"
                SOCKETMAP_UNIX_SOCKET_PATH="/var/spool/postfix/postfix-tempmail/socket"
                SOCKETMAP_UNIX_SOCKET_OWNER_UID="postfix"
                SOCKETMAP_UNIX_SOCKET_OWNER_GID="postfix"
                SOCKETMAP_UNIX_SOCKET_MODE="0660"
                SOCKETMAP_INET_INTERFACE="127.0.0.1"
                SOCKETMAP_INET_PORT="10000"
                SOCKETMAP_NAME="tempmail"
                SOCKETMAP_MAX_NETSTRING_LENGTH=512
                #PARSER_RUN_UID="nobody"
                """);
        assertEquals(List.of(), config.warnings());
        assertEquals("example.com", config.addresses().domain());
        assertEquals("permanent-address@example.com", config.addresses().defaultOwner().orElseThrow().maildrop());
        assertEquals(8, config.addresses().length());
        SocketmapSettings socketmap = config.socketmap();
        assertEquals(SocketType.UNIX, socketmap.socketType());
        assertEquals(Path.of("/var/spool/postfix/postfix-tempmail/socket"), socketmap.unixSocketPath());
        assertEquals("postfix", socketmap.unixSocketOwner().orElseThrow());
        assertEquals("postfix", socketmap.unixSocketGroup().orElseThrow());
        assertEquals(0660, socketmap.unixSocketMode());
        assertEquals(10000, socketmap.inetPort());
        assertEquals("tempmail", socketmap.aliasMapName());
        assertEquals(512, socketmap.maxNetstringLength());
    }

    @Test
    void defaultsApplyWhenKeysAreAbsent() throws Exception {
        Config config = load(BASICS);
        assertEquals(SchemeName.HMAC_SHA256, config.addresses().scheme());
        assertEquals(8, config.addresses().length());
        assertEquals(2, config.addresses().validDays());
        assertEquals(ZoneId.systemDefault(), config.addresses().zone());
        assertEquals(SocketType.UNIX, config.socketmap().socketType());
        assertEquals("127.0.0.1", config.socketmap().inetInterface());
        assertEquals(10000, config.socketmap().inetPort());
        assertEquals(0660, config.socketmap().unixSocketMode());
        assertEquals("rcpt", config.socketmap().recipientMapName());
        assertEquals("transport", config.socketmap().transportMapName());
        assertEquals("access", config.socketmap().accessMapName());
        assertEquals("tempmail:", config.socketmap().transport());
        assertEquals(Duration.ofSeconds(60), config.socketmap().idleTimeout());
        assertEquals(Duration.ofSeconds(5), config.socketmap().requestTimeout());
        assertEquals(256, config.socketmap().maxConnections());
        assertEquals(128, config.socketmap().maxConnectionsPerPeer());
        assertEquals(Path.of("/usr/sbin/sendmail"), config.delivery().sendmail());
        assertEquals(Duration.ofSeconds(300), config.delivery().sendmailTimeout());
        assertTrue(config.delivery().subjectTag().isEmpty());
        assertEquals(List.of(), config.delivery().stripHeaders());
        assertTrue(config.delivery().deliverySocket().isEmpty(), "deliveries are handed over only when asked");
    }

    @Test
    void lmtpListenIsOffUnsetAUnixPathOrAnInetAddress() throws Exception {
        assertFalse(load(BASICS).lmtp().enabled());
        LmtpSettings unix = load(BASICS + "LMTP_LISTEN=unix\n").lmtp();
        assertTrue(unix.enabled());
        assertEquals("unix:/var/spool/postfix/tempmail/lmtp", unix.address());
        assertEquals(0660, unix.unixSocketMode());
        assertEquals("unix:/srv/lmtp.sock", load(BASICS + "LMTP_LISTEN=unix:/srv/lmtp.sock\n").lmtp().address());
        LmtpSettings inet = load(BASICS + "LMTP_LISTEN=inet:127.0.0.1:2424\nLMTP_MAX_SESSIONS=5\n").lmtp();
        assertEquals(SocketType.INET, inet.socketType());
        assertEquals("inet:127.0.0.1:2424", inet.address());
        assertEquals(5, inet.maxSessions());
        assertEquals(32, unix.maxSessions());
        assertEquals(52_428_800L, unix.maxMessageSize());
        assertEquals("FILE:4: LMTP_LISTEN: \"unix:lmtp\" is neither unix:/ABSOLUTE/PATH nor inet:HOST:PORT "
                + "(e.g. LMTP_LISTEN=unix:/var/spool/postfix/tempmail/lmtp)",
                error(BASICS + "LMTP_LISTEN=unix:lmtp\n"));
        assertEquals("FILE:4: LMTP_LISTEN: \"inet:localhost:x\": the port must be a number from 1 to 65535",
                error(BASICS + "LMTP_LISTEN=inet:localhost:x\n"));
    }

    @Test
    void theDeliverySocketIsAnAbsolutePath() throws Exception {
        assertEquals(Optional.of(Path.of("/run/tempmail/deliver.socket")),
                load(BASICS + "DELIVERY_SOCKET=/run/tempmail/deliver.socket\n").delivery().deliverySocket());
        assertEquals("FILE:4: DELIVERY_SOCKET: not an absolute path",
                error(BASICS + "DELIVERY_SOCKET=deliver.socket\n"));
    }

    @Test
    void quotingAndCommentsFollowTheShell() throws Exception {
        Config config = load(BASICS + """
                SUBJECT_TAG='[temp] $x' # single quotes are literal
                STRIP_HEADERS="X-Spam-Flag, X-Mailer  Received-SPF"
                export TIMEZONE=Europe/Berlin   # trailing comment
                  SCHEME=md5
                """);
        assertEquals("[temp] $x", config.delivery().subjectTag().orElseThrow());
        assertEquals(List.of("X-Spam-Flag", "X-Mailer", "Received-SPF"), config.delivery().stripHeaders());
        assertEquals(ZoneId.of("Europe/Berlin"), config.addresses().zone());
        assertEquals(SchemeName.MD5, config.addresses().scheme());
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void doubleQuotesKeepEscapedQuotesAndWarnAboutDollar() throws Exception {
        Config config = load(BASICS + "SUBJECT_TAG=\"say \\\"hi\\\" for $5\"\n");
        assertEquals("say \"hi\" for $5", config.delivery().subjectTag().orElseThrow());
        assertEquals(1, config.warnings().size());
        assertTrue(config.warnings().get(0).endsWith(":4: SUBJECT_TAG: '$' is taken literally here; "
                + "postfix-tempmail's shell would have expanded it (use single quotes there)"));
    }

    @Test
    void missingSecretNamesFileAndKey() throws Exception {
        assertEquals("FILE: SHARED_SECRET: missing; set SHARED_SECRET or SHARED_SECRET_FILE",
                error("DOMAIN=temp.example.org\nMAILDROP=owner@example.org\n"));
        assertEquals("FILE:1: SHARED_SECRET: missing; set SHARED_SECRET or SHARED_SECRET_FILE",
                error("SHARED_SECRET=\nDOMAIN=temp.example.org\nMAILDROP=owner@example.org\n"));
    }

    @Test
    void withDatabaseTheOwnersMayAllLiveThereAndTempmailCfHasNoOwnerOfItsOwn() throws Exception {
        Config config = load("DOMAIN=temp.example.org\nDATABASE=owners.db\n");
        assertEquals(Optional.empty(), config.addresses().defaultOwner());
        assertEquals(Optional.empty(), config.addresses().maildropDomain());
        assertEquals(List.of(), config.warnings());
        ConfigException needed = assertThrows(ConfigException.class,
                () -> config.defaultOwner("give --owner NAME"));
        Path file = dir.resolve("tempmail.cf");
        assertEquals(file + ": there is no owner of tempmail.cf, as it sets neither SHARED_SECRET (or "
                + "SHARED_SECRET_FILE) nor MAILDROP: give --owner NAME, or set SHARED_SECRET_FILE and MAILDROP in "
                + file, needed.getMessage());
        assertEquals("no owner of tempmail.cf", needed.publicReason());
        DefaultOwner both = load(BASICS + "DATABASE=owners.db\n").addresses().defaultOwner().orElseThrow();
        assertEquals("owner@example.org", both.maildrop());
        assertEquals(SECRET.length(), both.secret().length());
    }

    @Test
    void oneOfSecretAndMaildropWithoutTheOtherIsAnErrorNamingBoth() throws Exception {
        String both = ": tempmail.cf's owner needs both SHARED_SECRET (or SHARED_SECRET_FILE) and MAILDROP; set "
                + "both, or neither when every owner is in DATABASE (tempmail owner add)";
        assertEquals("FILE:2: MAILDROP: set without SHARED_SECRET or SHARED_SECRET_FILE" + both,
                error("DOMAIN=temp.example.org\nMAILDROP=owner@example.org\nDATABASE=owners.db\n"));
        assertEquals("FILE:1: SHARED_SECRET: set without MAILDROP" + both,
                error("SHARED_SECRET=" + SECRET + "\nDOMAIN=temp.example.org\nDATABASE=owners.db\n"));
        write("secret", SECRET, "rw-------");
        assertEquals("FILE:1: SHARED_SECRET_FILE: set without MAILDROP" + both,
                error("SHARED_SECRET_FILE=secret\nDOMAIN=temp.example.org\nDATABASE=owners.db\n"));
        assertEquals("FILE:1: SHARED_SECRET_FILE: set without MAILDROP" + both + "; line 4 sets MAILDORP, an "
                + "unknown key: a misspelling of MAILDROP?", error("SHARED_SECRET_FILE=secret\n"
                + "DOMAIN=temp.example.org\nDATABASE=owners.db\nMAILDORP=owner@example.org\n"));
        assertEquals("FILE:2: PREVIOUS_SHARED_SECRET: set without SHARED_SECRET or SHARED_SECRET_FILE: a previous "
                + "secret is rotated out of tempmail.cf's owner, which needs both SHARED_SECRET and MAILDROP; set "
                + "them, or remove PREVIOUS_SHARED_SECRET", error("DOMAIN=temp.example.org\n"
                + "PREVIOUS_SHARED_SECRET=" + SECRET + "\nPREVIOUS_SHARED_SECRET_LAST_DAY=2026-11-01\n"
                + "DATABASE=owners.db\n"));
    }

    @Test
    void withoutDatabaseOrWithAMisspeltSecretKeyTheSecretIsRequiredAsBefore() throws Exception {
        assertEquals("FILE: SHARED_SECRET: missing; set SHARED_SECRET or SHARED_SECRET_FILE",
                error("DOMAIN=temp.example.org\n"));
        assertEquals("FILE: DOMAIN: missing; expected the domain of the temporary addresses, "
                + "e.g. DOMAIN=temp.example.org", error("SHARED_SECRET=" + SECRET + "\n"));
        assertEquals("FILE: MAILDROP: missing; expected the permanent address, e.g. MAILDROP=me@example.org",
                error("SHARED_SECRET=" + SECRET + "\nDOMAIN=temp.example.org\n"));
        assertEquals("FILE: SHARED_SECRET: missing; set SHARED_SECRET or SHARED_SECRET_FILE; line 1 sets "
                + "SHARED_SECERT_FILE, an unknown key: a misspelling of SHARED_SECRET_FILE?",
                error("SHARED_SECERT_FILE=secret\nDOMAIN=temp.example.org\nDATABASE=owners.db\n"));
    }

    @Test
    void missingDomainAndMaildropAreNamed() throws Exception {
        assertEquals("FILE: DOMAIN: missing; expected the domain of the temporary addresses, "
                + "e.g. DOMAIN=temp.example.org", error("SHARED_SECRET=" + SECRET + "\n"));
        assertEquals("FILE:2: MAILDROP: not an address (expected local@domain)",
                error("DOMAIN=t.example\nMAILDROP=owner\nSHARED_SECRET=" + SECRET + "\n"));
        assertEquals("FILE:1: DOMAIN: not a domain name (expected e.g. temp.example.org)",
                error("DOMAIN=a@b\nMAILDROP=o@example.org\nSHARED_SECRET=" + SECRET + "\n"));
    }

    @Test
    void anUnsupportedDatabaseUrlIsNamedWithoutItsPassword() throws Exception {
        assertEquals("FILE:4: DATABASE: this JDBC URL is not supported (expected an "
                + "SQLite file or jdbc:postgresql://HOST[:PORT]/DATABASE)",
                error(BASICS + "DATABASE='jdbc:mysql://db/tm?user=t&password=" + SECRET + "'\n"));
    }

    @Test
    void lengthOutOfRangeSaysTheRangeOfTheScheme() throws Exception {
        assertEquals("FILE:4: LENGTH: 33 is out of range (expected 1..32 for SCHEME md5)",
                error(BASICS + "LENGTH=33\nSCHEME=md5\n"));
        assertEquals("FILE:4: LENGTH: 6 is out of range (expected 8..64 for SCHEME hmac-sha256)",
                error(BASICS + "LENGTH=6\n"));
    }

    @Test
    void thePerPeerLimitIsHalfTheConnectionsUnlessSetAndNeverMore() throws Exception {
        assertEquals(5, load(BASICS + "SOCKETMAP_MAX_CONNECTIONS=11\n").socketmap().maxConnectionsPerPeer());
        assertEquals(3, load(BASICS + "SOCKETMAP_MAX_CONNECTIONS_PER_PEER=3\n").socketmap().maxConnectionsPerPeer());
        assertEquals("FILE:5: SOCKETMAP_MAX_CONNECTIONS_PER_PEER: 20 is out of range (expected 1..10)",
                error(BASICS + "SOCKETMAP_MAX_CONNECTIONS=10\nSOCKETMAP_MAX_CONNECTIONS_PER_PEER=20\n"));
        assertEquals("FILE:4: SOCKETMAP_REQUEST_TIMEOUT: 0 is out of range (expected 1..3600)",
                error(BASICS + "SOCKETMAP_REQUEST_TIMEOUT=0\n"));
    }

    @Test
    void aValueThatIsNotANumberIsNamed() throws Exception {
        assertEquals("FILE:4: LENGTH: not a number (expected 8..64 for SCHEME hmac-sha256)",
                error(BASICS + "LENGTH=eight\n"));
        assertEquals("FILE:5: SOCKETMAP_INET_PORT: not a number (expected 1..65535)",
                error(BASICS + "\nSOCKETMAP_INET_PORT=ten\n"));
        assertEquals("FILE:4: SOCKETMAP_UNIX_SOCKET_MODE: not an octal file mode (expected e.g. 0660)",
                error(BASICS + "SOCKETMAP_UNIX_SOCKET_MODE=rw\n"));
    }

    @Test
    void unknownSchemeTimezoneAndSocketTypeAreNamed() throws Exception {
        assertEquals("FILE:4: SCHEME: unknown scheme (expected one of md5, hmac-sha256)",
                error(BASICS + "SCHEME=sha1\n"));
        assertEquals("FILE:4: TIMEZONE: unknown time zone (expected a name like "
                + "Europe/Berlin, or UTC)", error(BASICS + "TIMEZONE=Mars/Olympus\n"));
        assertEquals("FILE:4: SOCKETMAP_SOCKET_TYPE: neither unix nor inet",
                error(BASICS + "SOCKETMAP_SOCKET_TYPE=tcp\n"));
    }

    @Test
    void syntaxErrorsNameTheLine() throws Exception {
        assertEquals("FILE:4: expected KEY=value (no spaces around '='); the line is not shown, as it may hold a "
                + "secret", error(BASICS + "this is not an assignment\n"));
        assertEquals("FILE:1: SHARED_SECRET: expected KEY=value (no spaces around '='); the line is not shown, as it "
                + "may hold a secret",
                error("SHARED_SECRET = \"" + SECRET + "\"\n"), "the secret must not be quoted back");
        assertEquals("FILE:4: SUBJECT_TAG: missing closing double quote", error(BASICS + "SUBJECT_TAG=\"[t]\n"));
        assertEquals("FILE:4: SUBJECT_TAG: missing closing single quote", error(BASICS + "SUBJECT_TAG='[t]\n"));
        assertEquals("FILE:4: SUBJECT_TAG: unexpected text after the value; put values that contain spaces in quotes",
                error(BASICS + "SUBJECT_TAG=[t] x\n"));
    }

    @Test
    void anUnreadableFileIsNamed() {
        Path missing = dir.resolve("absent.cf");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing));
        assertEquals(missing + ": cannot read the configuration: no such file "
                + "(give another file with --config FILE or TEMPMAIL_CONFIG)", e.getMessage());
    }

    @Test
    void unknownAndRepeatedKeysWarnButLoad() throws Exception {
        Config config = load(BASICS + "COLOUR=blue\nLENGTH=9\nLENGTH=10\n");
        assertEquals(10, config.addresses().length());
        assertEquals(2, config.warnings().size());
        assertTrue(config.warnings().get(0).endsWith(":6: LENGTH: set again; line 5 is overridden"));
        assertTrue(config.warnings().get(1).endsWith(":4: COLOUR: unknown key, ignored"));
    }

    @Test
    void placeholderAndShortSecretsWarnWithoutShowingThem() throws Exception {
        Config placeholder = load("SHARED_SECRET=\"<Your secret>\"\nDOMAIN=t.example\nMAILDROP=o@example.org\n");
        assertEquals(2, placeholder.warnings().size());
        assertTrue(placeholder.warnings().get(0).endsWith(":1: SHARED_SECRET: still postfix-tempmail's placeholder; "
                + "anyone who reads its documentation can make your addresses"));
        assertTrue(placeholder.warnings().get(1).endsWith(
                ":1: SHARED_SECRET: the secret is shorter than 16 bytes and easy to guess"));
        assertFalse(String.join("\n", placeholder.warnings()).contains("Your secret"));
    }

    @Test
    void aConfigurationHoldingTheSecretThatOthersCanReadWarns() throws Exception {
        Path file = write("tempmail.cf", BASICS, "rw-r--r--");
        Config config = ConfigLoader.load(file);
        assertEquals(List.of(file + ":1: SHARED_SECRET: " + file + " can be read by every user, but this file holds "
                + "SHARED_SECRET (chmod o-r " + file + ")"), config.warnings());
    }

    @Test
    void theSecretCanComeFromAFileWithOneTrailingNewlineStripped() throws Exception {
        write("secret", SECRET + "\n\n", "r--------");
        Path cf = write("tempmail.cf", "SHARED_SECRET_FILE=secret\nDOMAIN=t.example\nMAILDROP=o@example.org\n",
                "rw-r--r--");
        Config config = ConfigLoader.load(cf);
        assertEquals(List.of(), config.warnings(), "a readable tempmail.cf without the secret is fine");
        assertEquals(SECRET.length() + 1, config.addresses().defaultOwner().orElseThrow().secret().length());
        assertFalse(config.addresses().defaultOwner().orElseThrow().secret().toString().contains(SECRET));
    }

    @Test
    void secretFileProblemsAreNamed() throws Exception {
        String rest = "DOMAIN=t.example\nMAILDROP=o@example.org\n";
        assertEquals("FILE:1: SHARED_SECRET_FILE: cannot read " + dir.resolve("nope") + ": no such file",
                error("SHARED_SECRET_FILE=nope\n" + rest));
        write("empty", "\n", "r--------");
        assertEquals("FILE:1: SHARED_SECRET_FILE: " + dir.resolve("empty") + " is empty; it must hold the secret",
                error("SHARED_SECRET_FILE=empty\n" + rest));
        assertEquals("FILE:2: SHARED_SECRET_FILE: set either SHARED_SECRET or SHARED_SECRET_FILE, not both",
                error("SHARED_SECRET=" + SECRET + "\nSHARED_SECRET_FILE=empty\n" + rest));
    }

    @Test
    void aPreviousSecretComesWithTheDayOfTheRotation() throws Exception {
        write("old.secret", "the-secret-being-rotated-out\n", "rw-------");
        Config config = load(BASICS + "PREVIOUS_SHARED_SECRET_FILE=old.secret\n"
                + "PREVIOUS_SHARED_SECRET_LAST_DAY=2026-12-02\n");
        PreviousSecret previous = config.addresses().defaultOwner().orElseThrow().previousSecret().orElseThrow();
        assertEquals(java.time.LocalDate.of(2026, 12, 2), previous.lastDay());
        assertEquals("the-secret-being-rotated-out", new String(previous.secret().bytes(), StandardCharsets.UTF_8));
        assertEquals(List.of(), config.warnings());
        assertEquals(Optional.empty(), load(BASICS).addresses().defaultOwner().orElseThrow().previousSecret());
    }

    @Test
    void previousSecretMistakesNameFileLineAndKey() throws Exception {
        assertTrue(error(BASICS + "PREVIOUS_SHARED_SECRET=another-long-secret\n").startsWith(
                "FILE: PREVIOUS_SHARED_SECRET_LAST_DAY: missing; a previous secret needs the day of the rotation, "
                + "e.g. PREVIOUS_SHARED_SECRET_LAST_DAY="));
        assertEquals("FILE:5: PREVIOUS_SHARED_SECRET_LAST_DAY: not a date (expected YYYY-MM-DD, "
                + "the day of the rotation)", error(BASICS + "PREVIOUS_SHARED_SECRET=another-long-secret\n"
                + "PREVIOUS_SHARED_SECRET_LAST_DAY=2.12.2026\n"));
        assertEquals("FILE:4: PREVIOUS_SHARED_SECRET_LAST_DAY: set without PREVIOUS_SHARED_SECRET or "
                + "PREVIOUS_SHARED_SECRET_FILE; remove it, or name the previous secret",
                error(BASICS + "PREVIOUS_SHARED_SECRET_LAST_DAY=2026-12-02\n"));
        assertEquals("FILE:5: PREVIOUS_SHARED_SECRET_FILE: set either PREVIOUS_SHARED_SECRET or "
                + "PREVIOUS_SHARED_SECRET_FILE, not both", error(BASICS + "PREVIOUS_SHARED_SECRET=x\n"
                + "PREVIOUS_SHARED_SECRET_FILE=y\nPREVIOUS_SHARED_SECRET_LAST_DAY=2026-12-02\n"));
        assertEquals("FILE:4: PREVIOUS_SHARED_SECRET_FILE: cannot read " + dir.resolve("gone") + ": no such file",
                error(BASICS + "PREVIOUS_SHARED_SECRET_FILE=gone\nPREVIOUS_SHARED_SECRET_LAST_DAY=2026-12-02\n"));
    }

    @Test
    void aSecretFileOthersCanReadWarns() throws Exception {
        Path secret = write("secret", SECRET, "rw-r--r--");
        Config config = load("SHARED_SECRET_FILE=" + secret + "\nDOMAIN=t.example\nMAILDROP=o@example.org\n");
        assertEquals(1, config.warnings().size());
        assertTrue(config.warnings().get(0).endsWith(":1: SHARED_SECRET_FILE: " + secret
                + " can be read by every user, but it holds the secret (chmod o-r " + secret + ")"));
    }

    @Test
    void theFileIsFoundByOptionThenEnvironmentThenDefault() {
        assertEquals(Path.of("/a.cf"), ConfigLoader.locate("/a.cf", Map.of("TEMPMAIL_CONFIG", "/b.cf")));
        assertEquals(Path.of("/b.cf"), ConfigLoader.locate(null, Map.of("TEMPMAIL_CONFIG", "/b.cf")));
        assertEquals(Path.of("/etc/postfix/tempmail.cf"), ConfigLoader.locate(null, Map.of()));
    }

    @Test
    void everyKeyIsDocumented() {
        for (Key key : Key.values()) {
            assertFalse(key.description().isBlank(), key.name());
        }
    }
}
