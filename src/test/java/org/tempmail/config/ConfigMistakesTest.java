package org.tempmail.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mistakes a new administrator makes in tempmail.cf: misspelt keys get the key meant, a missing key names
 * the misspelling that stands for it, and no message quotes what a line holds (it may be the secret).
 */
class ConfigMistakesTest {
    private static final String SECRET = "a-long-enough-secret-value";

    @TempDir
    Path dir;

    private Path file;

    private Path write(String... lines) throws IOException {
        file = dir.resolve("tempmail.cf");
        Files.write(file, List.of(lines));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private List<String> warnings(String... lines) throws Exception {
        return ConfigLoader.load(write(lines)).warnings().stream().map(w -> w.replace(file.toString(), "FILE"))
                .toList();
    }

    private ConfigException error(String... lines) throws IOException {
        Path path = write(lines);
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(path));
    }

    @Test
    void aMisspeltKeyIsWarnedAboutWithTheKeyMeant() throws Exception {
        assertEquals(List.of("FILE:4: SUBJCT_TAG: unknown key, ignored; did you mean SUBJECT_TAG?",
                "FILE:5: LENGHT: unknown key, ignored; did you mean LENGTH?",
                "FILE:6: subject_tag: unknown key, ignored; did you mean SUBJECT_TAG?",
                "FILE:7: COLOUR: unknown key, ignored"),
                warnings("SHARED_SECRET=" + SECRET, "DOMAIN=temp.example.org", "MAILDROP=o@example.org",
                        "SUBJCT_TAG=[temp]", "LENGHT=10", "subject_tag=x", "COLOUR=blue"));
    }

    @Test
    void aMissingKeyNamesTheMisspellingOnAnotherLine() throws Exception {
        ConfigException missing = error("SHARED_SECRET=" + SECRET, "DOMIAN=temp.example.org",
                "MAILDROP=o@example.org");
        assertEquals(file + ": DOMAIN: missing; expected the domain of the temporary addresses, e.g. "
                + "DOMAIN=temp.example.org; line 2 sets DOMIAN, an unknown key: a misspelling of DOMAIN?",
                missing.getMessage());
        assertEquals("configuration error (key DOMAIN)", missing.publicReason());

        ConfigException noSecret = error("SHARED_SECERT_FILE=/etc/postfix/tempmail.secret",
                "DOMAIN=temp.example.org", "MAILDROP=o@example.org");
        assertEquals(file + ": SHARED_SECRET: missing; set SHARED_SECRET or SHARED_SECRET_FILE; line 1 sets "
                + "SHARED_SECERT_FILE, an unknown key: a misspelling of SHARED_SECRET_FILE?", noSecret.getMessage());
    }

    @Test
    void aSecretThatReadsAsAnAssignmentIsNeverShown() throws Exception {
        // A base64 secret on a line of its own (or a secret file given as the configuration) ends in '='.
        String secret = "c2VjcmV0SGVyZUZvclRlc3Rz";
        List<String> seen = warnings("SHARED_SECRET=" + SECRET, "DOMAIN=temp.example.org", "MAILDROP=o@example.org",
                secret + "=");
        assertEquals(List.of("FILE:4: a name in mixed case or longer than 40 characters (not shown: it may be a "
                + "secret): unknown key, ignored"), seen);
        ConfigException alone = error(secret + "=");
        assertFalse(alone.getMessage().contains(secret.substring(0, 8)), alone.getMessage());
    }

    @Test
    void noErrorQuotesTheValueItFoundFault() throws Exception {
        String[] basics = {"SHARED_SECRET=" + SECRET, "DOMAIN=temp.example.org", "MAILDROP=o@example.org"};
        for (String line : List.of("LENGTH=" + SECRET, "SCHEME=" + SECRET, "TIMEZONE=" + SECRET,
                "SOCKETMAP_SOCKET_TYPE=" + SECRET, "SOCKETMAP_UNIX_SOCKET_MODE=" + SECRET, "DOMAIN=@" + SECRET,
                "MAILDROP=" + SECRET, "SPOOL_DIRECTORY=" + SECRET, "DELIVERY_SOCKET=" + SECRET,
                "DATABASE=jdbc:" + SECRET, "STRIP_HEADERS=" + SECRET + ":", "SOCKETMAP_NAME='a " + SECRET + "'",
                "PREVIOUS_SHARED_SECRET=x" + SECRET, SECRET, "SHARED_SECRET = " + SECRET)) {
            String[] lines = {basics[0], basics[1], basics[2], line};
            ConfigException e = error(lines);
            assertFalse(e.getMessage().contains(SECRET.substring(2)), line + ": " + e.getMessage());
            assertFalse(e.publicReason().contains(SECRET.substring(2)), line + ": " + e.publicReason());
            assertFalse(e.publicReason().contains("/"), "no path for senders: " + e.publicReason());
        }
    }
}
