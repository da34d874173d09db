package org.tempmail.socketmap;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.tempmail.config.DatabaseSettings;
import org.tempmail.testsupport.PostgresServerExtension;

class PostgresCapabilitySocketmapTest extends CapabilitySocketmapTest {
    @RegisterExtension
    static final PostgresServerExtension POSTGRES = new PostgresServerExtension();

    @Override
    DatabaseSettings database() throws Exception {
        return new DatabaseSettings(POSTGRES.newDatabase(), true);
    }
}
