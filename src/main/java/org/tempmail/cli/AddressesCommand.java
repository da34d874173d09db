package org.tempmail.cli;

import java.time.Instant;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.Config;

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
        return new Options().addOption(CommonOptions.at());
    }

    @Override
    public int run(Invocation invocation, CommandLine line) throws Exception {
        CommonOptions.noArguments(line);
        Config config = invocation.loadConfig();
        Instant at = CommonOptions.at(line, config, invocation.clock());
        for (String address : DatedAddressResolver.from(config.addresses()).validAddresses(at)) {
            invocation.out().println(address);
        }
        return ExitStatus.OK;
    }
}
