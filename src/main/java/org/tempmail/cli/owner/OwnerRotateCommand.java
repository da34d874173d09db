package org.tempmail.cli.owner;

import java.time.LocalDate;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.cli.command.UsageException;
import org.tempmail.config.Config;
import org.tempmail.storage.Owner;
import org.tempmail.storage.OwnerStore;

/** tempmail owner rotate-secret: a new secret; addresses made with the old one run out by themselves. */
final class OwnerRotateCommand extends OwnerSubcommand {
    @Override
    public String name() {
        return "owner rotate-secret";
    }

    @Override
    public String summary() {
        return "give the owner a new secret and print it; addresses of the old one stay valid to their end";
    }

    @Override
    public String details() {
        return """
                The old secret's addresses up to today's stay valid until their window ends (valid days), as
                with PREVIOUS_SHARED_SECRET in tempmail.cf. Only one old secret is kept: while the one rotated
                out before still makes valid addresses, rotating again is refused unless --drop-previous says
                to cut those addresses off now.""";
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder().longOpt("drop-previous")
                .desc("rotate even though the secret rotated out before still makes valid addresses; they stop "
                        + "working at once").get());
    }

    @Override
    int run(Invocation invocation, CommandLine line, Config config, OwnerStore owners) throws Exception {
        String name = name(line);
        LocalDate today = LocalDate.ofInstant(invocation.clock().instant(), config.addresses().zone());
        Owner owner = owners.get(name);
        if (owner.previousLastDay().isPresent() && !line.hasOption("drop-previous")) {
            // The previous secret's last address, made on its last day, is valid for validDays days.
            LocalDate lastValid = owner.previousLastDay().get()
                    .plusDays(owner.validDaysOr(config.addresses().validDays()) - 1L);
            if (!today.isAfter(lastValid)) {
                throw new UsageException("owner " + name + ": the secret rotated out on "
                        + owner.previousLastDay().get() + " makes addresses valid until " + lastValid
                        + "; rotating again now would cut them off: wait until " + lastValid.plusDays(1)
                        + ", or add --drop-previous");
            }
        }
        invocation.out().println(owners.rotateSecret(name, today).secret());
        return ExitStatus.OK;
    }
}
