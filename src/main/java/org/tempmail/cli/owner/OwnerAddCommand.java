package org.tempmail.cli.owner;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.cli.command.UsageException;
import org.tempmail.config.Config;
import org.tempmail.owners.OwnerAddresses;
import org.tempmail.storage.NewOwner;
import org.tempmail.storage.Owner;
import org.tempmail.storage.OwnerStore;

/** tempmail owner add: a new owner; its secret alone on the first line, today's address on the second. */
final class OwnerAddCommand extends OwnerSubcommand {
    @Override
    public String name() {
        return "owner add";
    }

    @Override
    public String summary() {
        return "add an owner; prints its new secret, then today's address";
    }

    @Override
    public String details() {
        return """
                The secret is printed once, alone on the first line (SECRET=$(tempmail owner add ... | head -n 1)):
                hand it to the owner, who makes the addresses with it as tempmail.cf's SHARED_SECRET with
                SCHEME=hmac-sha256 does. Only `tempmail owner show NAME --secret` prints it again.""";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("maildrop").hasArg().argName("ADDR")
                        .desc("where the owner's mail goes (required)").get())
                .addOption(Option.builder().longOpt("domain").hasArg().argName("D")
                        .desc("the domain of its addresses (default: DOMAIN)").get())
                .addOption(Option.builder().longOpt("valid-days").hasArg().argName("N")
                        .desc("days each address stays valid (default: VALID_DAYS)").get());
    }

    @Override
    int run(Invocation invocation, CommandLine line, Config config, OwnerStore owners) throws Exception {
        String name = OwnerRules.checkName(name(line));
        String maildropText = line.getOptionValue("maildrop");
        if (maildropText == null) {
            throw new UsageException("missing --maildrop ADDR: where the owner's mail goes");
        }
        Optional<String> domain = OwnerRules.checkDomain(line.getOptionValue("domain"), config);
        String effective = domain.orElse(config.addresses().domain().toLowerCase(Locale.ROOT));
        String maildrop = OwnerRules.checkMaildrop(maildropText, effective, config);
        NewOwner adding = new NewOwner(name, maildrop, domain,
                OwnerRules.checkValidDays(line.getOptionValue("valid-days")), invocation.clock().instant());
        OwnerRules.checkShared(effective, owners.list(), List.of(), config);
        Owner owner = owners.add(adding);
        invocation.out().println(owner.secret());
        invocation.out().println(OwnerAddresses.addressOf(owner, config.addresses(),
                LocalDate.ofInstant(invocation.clock().instant(), config.addresses().zone())));
        return ExitStatus.OK;
    }
}
