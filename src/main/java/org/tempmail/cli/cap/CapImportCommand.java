package org.tempmail.cli.cap;

import java.nio.file.Path;
import java.time.Instant;
import org.apache.commons.cli.CommandLine;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.config.Config;
import org.tempmail.storage.CapabilityStore;
import org.tempmail.storage.MailcapImport;

/** tempmail cap import-mailcap DBFILE: takes over the caps of a mailcapdb SQLite database. */
final class CapImportCommand extends CapSubcommand {
    @Override
    public String name() {
        return "cap import-mailcap";
    }

    @Override
    public String summary() {
        return "import the caps of a mailcapdb SQLite database (caps, aliases, mailboxes)";
    }

    @Override
    public String arguments() {
        return "DBFILE";
    }

    @Override
    int run(Invocation invocation, CommandLine line, Config config, CapabilityStore store, Instant now)
            throws Exception {
        Path file = Path.of(single(line, "DBFILE"));
        MailcapImport.Result result = MailcapImport.run(file, store, config.addresses().domain(), now);
        for (String unquoted : result.unquoted()) {
            invocation.err().println("tempmail cap import-mailcap: imported " + unquoted + " (without its quotes)");
        }
        for (String skipped : result.skipped()) {
            invocation.err().println("tempmail cap import-mailcap: skipped " + skipped);
        }
        invocation.out().println("imported " + result.imported().size() + " addresses into " + store.describe()
                + (result.skipped().isEmpty() ? "" : ", skipped " + result.skipped().size()));
        return ExitStatus.OK;
    }
}
