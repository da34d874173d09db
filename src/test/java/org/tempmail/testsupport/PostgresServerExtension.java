package org.tempmail.testsupport;

import java.sql.SQLException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private PostgreSQL server for one test class: started before its tests, stopped after them even when they
 * fail. Register it with {@code @RegisterExtension static final PostgresServerExtension POSTGRES = ...}.
 */
public final class PostgresServerExtension implements BeforeAllCallback, AfterAllCallback {
    private PostgresServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = PostgresServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A new, empty database on the server, as the JDBC URL tempmail.cf would hold. */
    public String newDatabase() throws SQLException {
        return server.newDatabase();
    }
}
