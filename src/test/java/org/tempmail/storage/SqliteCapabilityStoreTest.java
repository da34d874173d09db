package org.tempmail.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tempmail.address.AddressForm;
import org.tempmail.address.Resolution;
import org.tempmail.config.DatabaseSettings;

class SqliteCapabilityStoreTest extends CapabilityStoreContract {
    @TempDir
    Path dir;
    private int databases;

    @Override
    DatabaseSettings newDatabase() {
        return new DatabaseSettings(dir.resolve("tempmail" + ++databases + ".db").toString(), true);
    }

    @Override
    DatabaseSettings unreachableDatabase() {
        return new DatabaseSettings(dir.resolve("no-such-directory/tempmail.db").toString(), true);
    }

    @Test
    void theFileIsCreatedOnFirstUseInWalMode() throws Exception {
        Path file = Path.of(settings.location());
        assertFalse(Files.exists(file), "opening alone creates nothing");
        assertEquals(Optional.empty(), store.find("first1", "temp.example.org"));
        assertEquals(List.of(), store.list(true, NOW));
        assertFalse(Files.exists(file), "reading creates nothing, so a lookup as root leaves no root-owned file");
        store.create(cap("first1", ""));
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
            assertTrue(mode.next());
            assertEquals("wal", mode.getString(1));
        }
    }

    @Test
    void anAbsentDefaultDatabaseMeansNoCapabilityAddressesNotAFailure() throws Exception {
        DatabaseSettings unsetDefault = new DatabaseSettings(dir.resolve("default.db").toString(), false);
        CapabilityResolver resolver = new CapabilityResolver(DATED, new AddressForm("+"),
                "temp.example.org", open(unsetDefault), MAILDROP);
        assertEquals(Resolution.UNKNOWN, resolver.resolve("someone@temp.example.org", NOW));
        assertFalse(Files.exists(dir.resolve("default.db")), "a lookup creates no database");
        open(unsetDefault).create(cap("someone", "now it exists"));
        assertTrue(resolver.resolve("someone@temp.example.org", NOW) instanceof Resolution.Valid);
    }
}
