package org.tempmail.cli.owner;

import java.time.LocalDate;
import org.apache.commons.cli.CommandLine;
import org.tempmail.cli.ExitStatus;
import org.tempmail.cli.Invocation;
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
                with PREVIOUS_SHARED_SECRET in tempmail.cf; a secret rotated out before is forgotten.""";
    }

    @Override
    int run(Invocation invocation, CommandLine line, Config config, OwnerStore owners) throws Exception {
        LocalDate today = LocalDate.ofInstant(invocation.clock().instant(), config.addresses().zone());
        Owner owner = owners.rotateSecret(name(line), today);
        invocation.out().println(owner.secret());
        return ExitStatus.OK;
    }
}
