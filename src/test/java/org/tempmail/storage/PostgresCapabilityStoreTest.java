package org.tempmail.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tempmail.config.DatabaseSettings;
import org.tempmail.testsupport.PostgresServerExtension;

class PostgresCapabilityStoreTest extends CapabilityStoreContract {
    @RegisterExtension
    static final PostgresServerExtension POSTGRES = new PostgresServerExtension();

    @Override
    DatabaseSettings newDatabase() throws Exception {
        return new DatabaseSettings(POSTGRES.newDatabase(), true);
    }

    @Test
    void aRoleWithDataRightsOnlyWorksOnAnUpToDateSchema() throws Exception {
        store.create(cap("shop1", "before"));
        try (Connection connection = DriverManager.getConnection(settings.location());
                Statement sql = connection.createStatement()) {
            sql.execute("CREATE ROLE mailhost LOGIN");
            sql.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            sql.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO mailhost");
            sql.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO mailhost");
        }
        String asMailhost = settings.location().replace("user=tempmail", "user=mailhost");
        try (CapabilityStore mailhost = open(new DatabaseSettings(asMailhost, true))) {
            assertTrue(mailhost.find("shop1", "temp.example.org").isPresent());
        } finally {
            try (Connection connection = DriverManager.getConnection(settings.location());
                    Statement sql = connection.createStatement()) {
                sql.execute("DROP OWNED BY mailhost");
                sql.execute("DROP ROLE mailhost");
            }
        }
    }

    @Override
    DatabaseSettings unreachableDatabase() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        return new DatabaseSettings("jdbc:postgresql://127.0.0.1:" + closedPort + "/tempmail?user=tempmail", true);
    }
}
