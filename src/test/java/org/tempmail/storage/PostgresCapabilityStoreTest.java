package org.tempmail.storage;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.tempmail.config.DatabaseSettings;
import org.tempmail.testsupport.PostgresServer;

class PostgresCapabilityStoreTest extends CapabilityStoreContract {
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
    DatabaseSettings newDatabase() throws Exception {
        return new DatabaseSettings(server.newDatabase(), true);
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
