package org.tempmail.cli.owner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.cli.command.UsageException;
import org.tempmail.config.Config;
import org.tempmail.storage.NewOwner;
import org.tempmail.storage.Owner;
import org.tempmail.storage.OwnerStore;

/** tempmail owner import: many owners from CSV at once, all or none; prints name,secret CSV. */
final class OwnerImportCommand extends OwnerSubcommand {
    @Override
    public String name() {
        return "owner import";
    }

    @Override
    public String summary() {
        return "add the owners of FILE.csv (name,maildrop[,domain[,valid_days]]); prints name,secret CSV";
    }

    @Override
    public String arguments() {
        return "FILE.csv";
    }

    @Override
    public String details() {
        return """
                One owner a line; a first line starting with "name," is a header and skipped, as are empty lines
                and lines starting with #. Every line is checked before any owner is stored: one error names its
                line and nothing is added. The secrets are printed once: keep the output safe.""";
    }

    @Override
    int run(Invocation invocation, CommandLine line, Config config, OwnerStore owners) throws Exception {
        List<String> args = line.getArgList();
        if (args.size() != 1) {
            throw new UsageException(args.isEmpty() ? "missing FILE.csv" : "expected one FILE.csv");
        }
        Path file = Path.of(args.get(0));
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        List<Owner> existing = owners.list();
        Set<String> names = new HashSet<>();
        existing.forEach(owner -> names.add(owner.name()));
        List<NewOwner> adding = new ArrayList<>();
        String defaultDomain = config.addresses().domain().toLowerCase(Locale.ROOT);
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#") || i == 0 && text.startsWith("name,")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            try {
                String[] fields = text.split(",", -1);
                if (fields.length < 2 || fields.length > 4) {
                    throw new UsageException("expected name,maildrop[,domain[,valid_days]], got " + fields.length
                            + " fields");
                }
                String name = OwnerRules.checkName(fields[0].strip());
                if (!names.add(name)) {
                    throw new UsageException("an owner named \"" + name + "\" exists already");
                }
                Optional<String> domain = OwnerRules.checkDomain(fields.length > 2 && !fields[2].isBlank()
                        ? fields[2].strip() : null, config);
                String maildrop = OwnerRules.checkMaildrop(fields[1].strip(), domain.orElse(defaultDomain), config);
                OptionalInt days = OwnerRules.checkValidDays(fields.length > 3 && !fields[3].isBlank()
                        ? fields[3].strip() : null);
                OwnerRules.checkShared(domain.orElse(defaultDomain), existing, adding, config);
                adding.add(new NewOwner(name, maildrop, domain, days, invocation.clock().instant()));
            } catch (UsageException e) {
                throw new UsageException(where + e.getMessage() + "; nothing was imported");
            }
        }
        List<Owner> added = owners.addAll(adding);
        invocation.out().println("name,secret");
        for (Owner owner : added) {
            invocation.out().println(owner.name() + "," + owner.secret());
        }
        invocation.err().println("tempmail owner import: " + added.size() + " owners added");
        return ExitStatus.OK;
    }
}
