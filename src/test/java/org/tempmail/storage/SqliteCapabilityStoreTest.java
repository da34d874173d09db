package org.tempmail.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    void onlyInitialiseCreatesTheFileInWalMode() throws Exception {
        DatabaseSettings fresh = newDatabase();
        Path file = Path.of(fresh.location());
        CapabilityStore notYet = open(fresh);
        assertThrows(StoreException.class, () -> notYet.find("first1", "temp.example.org"));
        assertThrows(StoreException.class, () -> notYet.create(cap("first1", "")));
        assertFalse(Files.exists(file), "neither a lookup nor cap create makes the file DATABASE expects");
        assertTrue(notYet.initialise().startsWith("created the capability database " + file));
        assertEquals(Optional.empty(), notYet.find("first1", "temp.example.org"));
        assertTrue(notYet.initialise().contains("is initialised already"), "a second init changes nothing");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
            assertTrue(mode.next());
            assertEquals("wal", mode.getString(1));
        }
    }

    @Test
    void withDatabaseUnsetAnAbsentDefaultMeansNoCapabilityAddressesAndNothingCreatesIt() throws Exception {
        DatabaseSettings unsetDefault = new DatabaseSettings(dir.resolve("default.db").toString(), false);
        CapabilityResolver resolver = new CapabilityResolver(DATED, new AddressForm("+"),
                "temp.example.org", open(unsetDefault), MAILDROP);
        assertEquals(Resolution.UNKNOWN, resolver.resolve("someone@temp.example.org", NOW));
        StoreException create = assertThrows(StoreException.class, () -> open(unsetDefault).create(cap("x1", "")));
        assertTrue(create.getMessage().contains("set DATABASE in tempmail.cf"), create.getMessage());
        StoreException init = assertThrows(StoreException.class, () -> open(unsetDefault).initialise());
        assertTrue(init.getMessage().contains("set DATABASE in tempmail.cf"), init.getMessage());
        assertFalse(Files.exists(dir.resolve("default.db")), "a lookup creates no database");
    }

    @Test
    void withDatabaseUnsetTheFormerDefaultIsStillReadWhereItExists() throws Exception {
        DatabaseSettings unsetDefault = new DatabaseSettings(settings.location(), false);
        store.create(cap("someone", "made before DATABASE had to be set"));
        CapabilityResolver resolver = new CapabilityResolver(DATED, new AddressForm("+"), "temp.example.org",
                open(unsetDefault), MAILDROP);
        assertTrue(resolver.resolve("someone@temp.example.org", NOW) instanceof Resolution.Valid);
    }
}
