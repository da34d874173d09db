package org.tempmail.cli.cap;

import java.time.Instant;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.config.Config;
import org.tempmail.storage.Addresses;
import org.tempmail.storage.CapabilityStore;

/** tempmail cap disable / enable ADDRESS: stop or resume accepting mail, effective at the next lookup. */
final class CapEnableCommand extends CapSubcommand {
    private final boolean enable;

    CapEnableCommand(boolean enable) {
        this.enable = enable;
    }

    @Override
    public String name() {
        return enable ? "cap enable" : "cap disable";
    }

    @Override
    public String summary() {
        return enable ? "accept mail for ADDRESS again"
                : "refuse mail for ADDRESS from the next lookup on (--note replaces its note)";
    }

    @Override
    public String arguments() {
        return "ADDRESS";
    }

    @Override
    public Options options() {
        Options options = new Options();
        if (!enable) {
            options.addOption(Option.builder().longOpt("note").hasArg().argName("TEXT")
                    .desc("replace the note, e.g. with why it was disabled").get());
        }
        return options;
    }

    @Override
    int run(Invocation invocation, CommandLine line, Config config, CapabilityStore store, Instant now)
            throws Exception {
        Addresses.Parts parts = address(single(line, "ADDRESS"), config);
        Optional<String> note = Optional.ofNullable(line.getOptionValue("note"));
        String address = store.setEnabled(parts.localPart(), parts.domain(), enable, note)
                .orElseThrow(() -> new Refused("no capability address " + parts.localPart() + "@" + parts.domain()))
                .address();
        invocation.out().println((enable ? "enabled " : "disabled ") + address);
        return ExitStatus.OK;
    }
}
