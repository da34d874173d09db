package org.tempmail.cli;

import org.apache.commons.cli.CommandLine;
import org.tempmail.cli.command.Command;
import org.tempmail.cli.command.CommonOptions;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.config.Config;
import org.tempmail.storage.CapabilityStore;
import org.tempmail.storage.StoreException;

/** tempmail init: creates the capability database DATABASE names, the one command that may. */
final class InitCommand implements Command {
    @Override
    public String name() {
        return "init";
    }

    @Override
    public String summary() {
        return "create the capability database DATABASE names (once, as the tempmail user)";
    }

    @Override
    public String details() {
        return """
                 Creates the SQLite file (in an existing directory) or, in a PostgreSQL database, the tables,
                 and upgrades an older schema; a database that is initialised already is left alone (exit 0).
                 No other command creates the database: with DATABASE set, a database that is missing or has
                 no tempmail tables is a failure (lookups answer TEMP, deliveries wait), because it may be a
                 volume that is not mounted or a file that was moved. Run it once when installing; on a
                 database that is there already it changes nothing, so restore a lost one instead.""";
    }

    @Override
    public int run(Invocation invocation, CommandLine line) throws Exception {
        CommonOptions.noArguments(line);
        Config config = invocation.loadConfig();
        try (CapabilityStore store = CapabilityStore.open(config.database())) {
            invocation.out().println("tempmail init: " + store.initialise());
            return ExitStatus.OK;
        } catch (StoreException e) {
            invocation.err().println("tempmail init: " + e.getMessage());
            return ExitStatus.USAGE;
        }
    }
}
