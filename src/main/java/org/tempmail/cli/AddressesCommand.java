package org.tempmail.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.cli.command.Command;
import org.tempmail.cli.command.CommonOptions;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.config.Config;
import org.tempmail.owners.OwnerAddresses;
import org.tempmail.storage.CapabilityStore;
import org.tempmail.storage.Owner;
import org.tempmail.storage.StoreException;

/** Prints the temporary addresses valid at a time, newest first, as postfix-tempmail does. */
final class AddressesCommand implements Command {
    @Override
    public String name() {
        return "addresses";
    }

    @Override
    public String summary() {
        return "print the addresses valid now (or at --at TIME), newest first";
    }

    @Override
    public Options options() {
        return new Options().addOption(CommonOptions.at())
                .addOption(Option.builder().longOpt("owner").hasArg().argName("NAME")
                        .desc("the addresses of this owner instead of tempmail.cf's").get());
    }

    @Override
    public int run(Invocation invocation, CommandLine line) throws Exception {
        CommonOptions.noArguments(line);
        Config config = invocation.loadConfig();
        Instant at = CommonOptions.at(line, config, invocation.clock());
        List<String> addresses;
        if (line.hasOption("owner")) {
            try (CapabilityStore store = CapabilityStore.open(config.database())) {
                Owner owner = store.owners().get(line.getOptionValue("owner"));
                addresses = OwnerAddresses.validAddresses(owner, config.addresses(),
                        LocalDate.ofInstant(at, config.addresses().zone()));
            } catch (StoreException e) {
                invocation.err().println("tempmail addresses: " + e.getMessage());
                return ExitStatus.USAGE;
            }
        } else {
            addresses = DatedAddressResolver.from(config.addresses(),
                    config.defaultOwner("give --owner NAME (tempmail owner list shows the names)"))
                    .validAddresses(at);
        }
        for (String address : addresses) {
            invocation.out().println(address);
        }
        return ExitStatus.OK;
    }
}
