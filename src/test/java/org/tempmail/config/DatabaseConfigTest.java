package org.tempmail.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseConfigTest {
    private static final String BASICS = "SHARED_SECRET=\"a-long-enough-secret-value\"\nDOMAIN=temp.example.org\n"
            + "MAILDROP=owner@example.org\n";

    @TempDir
    Path dir;

    private Path write(String content, String permissions) throws IOException {
        Path file = dir.resolve("tempmail.cf");
        Files.writeString(file, BASICS + content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @Test
    void theDefaultIsAnSqliteFileInVarLibThatNobodySetExplicitly() throws Exception {
        DatabaseSettings database = ConfigLoader.load(write("", "rw-------")).database();
        assertEquals("/var/lib/tempmail/tempmail.db", database.location());
        assertFalse(database.explicit(), "no database is expected: none is no failure");
        assertFalse(database.isPostgresql());
    }

    @Test
    void aRelativeFileIsRelativeToTheConfiguration() throws Exception {
        DatabaseSettings database = ConfigLoader.load(write("DATABASE=db/../caps.db\n", "rw-------")).database();
        assertEquals(new DatabaseSettings(dir.resolve("caps.db").toString(), true, dir.resolve("tempmail.cf")
                + ":4: DATABASE"), database);
        assertEquals(dir.resolve("caps.db"), database.sqliteFile());
    }

    @Test
    void aPostgresqlUrlIsKeptAndItsPasswordNeverShown() throws Exception {
        Config config = ConfigLoader.load(write(
                "DATABASE='jdbc:postgresql://db.example.org/tempmail?user=tm&password=hunter2'\n", "rw-r--r--"));
        assertTrue(config.database().isPostgresql());
        assertEquals("jdbc:postgresql://db.example.org/tempmail?user=tm&password=***", config.database().describe());
        assertTrue(config.warnings().stream().anyMatch(w -> w.contains(": DATABASE: ") && w.contains("password")),
                config.warnings().toString());
        assertFalse(config.warnings().toString().contains("hunter2"));
    }

    @Test
    void otherJdbcUrlsAreRefusedWithFileLineAndKey() throws Exception {
        Path file = write("DATABASE=jdbc:mysql://db/tempmail\n", "rw-------");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertTrue(e.getMessage().startsWith(file + ":4: DATABASE: this JDBC URL is not supported"),
                e.getMessage());
    }
}
