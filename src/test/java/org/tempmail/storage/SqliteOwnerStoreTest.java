package org.tempmail.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
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
    void aDatabaseOfSchemaVersionOneIsUpgradedOnFirstUseAndKeepsItsCapabilityAddresses() throws Exception {
        store.create(new NewCapability("shop1", "temp.example.org", true, Optional.empty(), "shop", NOW,
                Optional.empty()));
        store.close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tempmail.db"));
                Statement sql = connection.createStatement()) {
            for (String statement : List.of("DROP INDEX capability_owner", "ALTER TABLE capability DROP COLUMN "
                    + "owner_id", "DROP TABLE owner_version", "DROP TABLE owner_removed", "DROP TABLE owner",
                    "DELETE FROM tempmail_schema WHERE version >= 2")) {
                sql.execute(statement);
            }
        }
        try (CapabilityStore upgraded = CapabilityStore.open(newDatabase())) {
            assertEquals(Optional.empty(), upgraded.find("shop1", "temp.example.org").orElseThrow().owner());
            upgraded.owners().add(owner("alice"));
            assertEquals(List.of("alice"), upgraded.owners().list().stream().map(Owner::name).toList());
        }
    }

    @Test
    void removalsRecordedBeforeMigrationThreeHaveNoTimeAndArePrunedAtTheNextRemoval() throws Exception {
        owners.add(owner("alice"));
        owners.add(owner("bob"));
        owners.add(owner("carol"));
        long beforeAlice = owners.version();
        owners.remove("alice", NOW);
        long beforeBob = owners.version();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tempmail.db"));
                Statement sql = connection.createStatement()) {
            sql.execute("UPDATE owner_removed SET removed = NULL");
        }
        assertFalse(owners.changesSince(beforeAlice).everyOwner(), "nothing pruned until the next removal");
        owners.remove("bob", NOW);
        assertTrue(owners.changesSince(beforeAlice).everyOwner());
        assertEquals(1, owners.changesSince(beforeBob).removed().size(), "bob's, made now, is kept");
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
