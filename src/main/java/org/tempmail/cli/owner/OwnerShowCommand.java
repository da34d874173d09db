package org.tempmail.cli.owner;

import java.io.PrintStream;
import java.time.LocalDate;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.tempmail.cli.command.CommonOptions;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.config.Config;
import org.tempmail.owners.OwnerAddresses;
import org.tempmail.storage.Owner;
import org.tempmail.storage.OwnerStore;

/** tempmail owner show: one owner, its addresses valid now and, asked for, its secret. */
final class OwnerShowCommand extends OwnerSubcommand {
    @Override
    public String name() {
        return "owner show";
    }

    @Override
    public String summary() {
        return "show one owner and its addresses valid now (--secret: its secret too)";
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder().longOpt("secret")
                .desc("print the owner's secret as well (the one way to see it again)").get());
    }

    @Override
    int run(Invocation invocation, CommandLine line, Config config, OwnerStore owners) throws Exception {
        Owner owner = owners.get(name(line));
        PrintStream out = invocation.out();
        String domain = config.addresses().domain().toLowerCase(Locale.ROOT);
        out.println("name:       " + owner.name());
        out.println("maildrop:   " + owner.maildrop());
        out.println("domain:     " + owner.domainOr(domain) + (owner.domain().isEmpty() ? " (DOMAIN)" : ""));
        out.println("valid days: " + owner.validDaysOr(config.addresses().validDays())
                + (owner.validDays().isEmpty() ? " (VALID_DAYS)" : ""));
        out.println("state:      " + (owner.enabled() ? "enabled" : "disabled"));
        out.println("created:    " + CommonOptions.show(owner.created(), config));
        if (owner.previousLastDay().isPresent()) {
            out.println("rotated:    the previous secret makes valid addresses for days up to "
                    + owner.previousLastDay().get());
        }
        LocalDate today = LocalDate.ofInstant(invocation.clock().instant(), config.addresses().zone());
        for (String address : OwnerAddresses.validAddresses(owner, config.addresses(), today)) {
            out.println("address:    " + address);
        }
        if (line.hasOption("secret")) {
            out.println("secret:     " + owner.secret());
        }
        return ExitStatus.OK;
    }
}
