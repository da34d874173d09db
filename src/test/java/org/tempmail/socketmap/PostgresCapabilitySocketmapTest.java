package org.tempmail.socketmap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.tempmail.config.DatabaseSettings;
import org.tempmail.testsupport.PostgresServer;

class PostgresCapabilitySocketmapTest extends CapabilitySocketmapTest {
    private static PostgresServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    DatabaseSettings database() throws Exception {
        return new DatabaseSettings(server.newDatabase(), true);
    }
}
