package org.tempmail.storage;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.tempmail.config.DatabaseSettings;
import org.tempmail.testsupport.PostgresServerExtension;

class PostgresOwnerStoreTest extends OwnerStoreContract {
    @RegisterExtension
    static final PostgresServerExtension POSTGRES = new PostgresServerExtension();

    @Override
    DatabaseSettings newDatabase() throws Exception {
        return new DatabaseSettings(POSTGRES.newDatabase(), true);
    }
}
