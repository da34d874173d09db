package org.tempmail.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tempmail.config.DatabaseSettings;

class SqliteOwnerStoreTest extends OwnerStoreContract {
    @TempDir
    Path dir;

    @Override
    DatabaseSettings newDatabase() {
        return new DatabaseSettings(dir.resolve("tempmail.db").toString(), true);
    }

    @Test
    void initMakesTheFileUnreadableToOthersAndAFileOthersCanReadIsWarnedOf() throws Exception {
        Path file = dir.resolve("tempmail.db");
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(Optional.empty(), store.exposure());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        String warning = store.exposure().orElseThrow();
        assertTrue(warning.contains("holds the owners' secrets and every user can read it: chmod o-rwx " + file),
                warning);
    }
}
