package org.tempmail.cli.cap;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.tempmail.cli.command.CommonOptions;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.cli.command.UsageException;
import org.tempmail.config.Config;
import org.tempmail.storage.Capability;
import org.tempmail.storage.CapabilityStore;

/** tempmail cap list, and tempmail cap search TEXT: addresses newest first, with counts and last seen. */
final class CapListCommand extends CapSubcommand {
    private final boolean search;

    CapListCommand(boolean search) {
        this.search = search;
    }

    @Override
    public String name() {
        return search ? "cap search" : "cap list";
    }

    @Override
    public String summary() {
        return search ? "the addresses whose note contains TEXT, ignoring case"
                : "the addresses that accept mail (--all: every one), newest first";
    }

    @Override
    public String arguments() {
        return search ? "TEXT" : "";
    }

    @Override
    public Options options() {
        Options options = new Options().addOption(Option.builder().longOpt("format").hasArg().argName("FORMAT")
                .desc("table (default), csv or json").get());
        if (!search) {
            options.addOption(Option.builder().longOpt("all").desc("include disabled and expired addresses").get());
            options.addOption(Option.builder().longOpt("owner").hasArg().argName("NAME")
                    .desc("only the addresses of this owner").get());
        }
        return options;
    }

    @Override
    int run(Invocation invocation, CommandLine line, Config config, CapabilityStore store, Instant now)
            throws Exception {
        String format = line.getOptionValue("format", "table");
        if (!CapabilityFormats.NAMES.contains(format)) {
            throw new UsageException("--format: \"" + format + "\" is not one of " + CapabilityFormats.NAMES);
        }
        List<Capability> rows;
        if (search) {
            rows = store.search(single(line, "TEXT"));
        } else {
            CommonOptions.noArguments(line);
            Optional<String> owner = Optional.ofNullable(line.getOptionValue("owner"));
            if (owner.isPresent()) {
                store.owners().get(owner.get());
            }
            rows = store.list(line.hasOption("all"), now, owner);
        }
        CapabilityFormats.print(format, rows, now, config.addresses().zone(), invocation.out());
        return search && rows.isEmpty() ? ExitStatus.NEGATIVE : ExitStatus.OK;
    }
}
