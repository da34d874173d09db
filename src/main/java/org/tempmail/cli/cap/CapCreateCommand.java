package org.tempmail.cli.cap;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.tempmail.address.AddressForm;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.address.Resolution;
import org.tempmail.cli.command.CommonOptions;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.cli.command.TimeArgument;
import org.tempmail.cli.command.UsageException;
import org.tempmail.config.Config;
import org.tempmail.storage.CapabilityStore;
import org.tempmail.storage.DuplicateAddressException;
import org.tempmail.storage.LocalPartGenerator;
import org.tempmail.storage.NewCapability;

/** tempmail cap create: a new address for one correspondent, printed on stdout. */
final class CapCreateCommand extends CapSubcommand {
    private static final int ATTEMPTS = 5;

    @Override
    public String name() {
        return "cap create";
    }

    @Override
    public String summary() {
        return "make a new address for one correspondent and print it";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("note").hasArg().argName("TEXT")
                        .desc("who gets this address (required), e.g. \"shop.example, order 1234\"").get())
                .addOption(Option.builder().longOpt("length").hasArg().argName("N")
                        .desc("random local part of N characters, " + LocalPartGenerator.MIN_LENGTH + ".."
                                + LocalPartGenerator.MAX_LENGTH + " (default "
                                + LocalPartGenerator.DEFAULT_LENGTH + ")").get())
                .addOption(Option.builder().longOpt("short")
                        .desc("random local part of " + LocalPartGenerator.SHORT_LENGTH + " characters").get())
                .addOption(Option.builder().longOpt("veryshort")
                        .desc("random local part of " + LocalPartGenerator.VERY_SHORT_LENGTH + " characters").get())
                .addOption(Option.builder().longOpt("local-part").hasArg().argName("L")
                        .desc("this local part instead of a random one").get())
                .addOption(Option.builder().longOpt("target").hasArg().argName("ADDR")
                        .desc("where its mail goes (default: the owner's maildrop, else the MAILDROP)").get())
                .addOption(Option.builder().longOpt("owner").hasArg().argName("NAME")
                        .desc("the owner it belongs to, in whose domain it is made (tempmail owner list)").get())
                .addOption(Option.builder().longOpt("expires").hasArg().argName("DATE")
                        .desc("stop accepting mail: after DATE (2027-06-30 = to the end of that day in TIMEZONE), "
                                + "or at a time (2027-06-30T12:00)").get())
                .addOption(Option.builder().longOpt("dry-run").desc("print the address without storing it").get());
    }

    @Override
    int run(Invocation invocation, CommandLine line, Config config, CapabilityStore store, Instant now)
            throws Exception {
        CommonOptions.noArguments(line);
        String note = line.getOptionValue("note");
        if (note == null || note.isBlank()) {
            throw new UsageException("missing --note TEXT: say who gets this address");
        }
        Optional<String> chosen = Optional.ofNullable(line.getOptionValue("local-part"));
        int length = length(line, chosen.isPresent());
        Optional<String> target = Optional.ofNullable(line.getOptionValue("target"));
        if (target.isPresent() && (target.get().indexOf('@') <= 0 || target.get().endsWith("@"))) {
            throw new UsageException("--target: \"" + target.get() + "\" is not an address (expected local@domain)");
        }
        Optional<String> owner = Optional.ofNullable(line.getOptionValue("owner"));
        String domain = config.addresses().domain();
        if (owner.isPresent()) {
            domain = store.owners().get(owner.get()).domainOr(domain.toLowerCase(Locale.ROOT));
        }
        if (target.isPresent() && target.get().substring(target.get().lastIndexOf('@') + 1).equalsIgnoreCase(domain)) {
            throw new UsageException("--target: \"" + target.get() + "\" is in DOMAIN " + domain
                    + ": mail to it would come back here (expected a permanent address)");
        }
        Optional<Instant> expires = expires(line.getOptionValue("expires"), config, now);
        if (owner.isEmpty() && target.isEmpty()) {
            config.defaultOwner("give --owner NAME (tempmail owner list) or --target ADDRESS");
        }
        if (chosen.isPresent()) {
            checkLocalPart(chosen.get(), config, domain, now);
        }
        for (int attempt = 1; ; attempt++) {
            String localPart = chosen.orElseGet(() -> new LocalPartGenerator(new SecureRandom()).next(length));
            NewCapability address = new NewCapability(localPart, domain, true, target, note.strip(), now, expires,
                    owner);
            if (line.hasOption("dry-run")) {
                if (store.find(localPart, domain).isPresent()) {
                    throw new Refused(address.address() + " already exists");
                }
                invocation.out().println(address.address());
                invocation.err().println("tempmail cap create: dry run, not stored");
                return ExitStatus.OK;
            }
            try {
                store.create(address);
                invocation.out().println(address.address());
                return ExitStatus.OK;
            } catch (DuplicateAddressException e) {
                if (chosen.isPresent() || attempt == ATTEMPTS) {
                    throw new Refused(e.getMessage());
                }
            }
        }
    }

    private static int length(CommandLine line, boolean localPartGiven) throws UsageException {
        int given = (line.hasOption("length") ? 1 : 0) + (line.hasOption("short") ? 1 : 0)
                + (line.hasOption("veryshort") ? 1 : 0);
        if (given > 1) {
            throw new UsageException("give only one of --length, --short and --veryshort");
        }
        if (given == 1 && localPartGiven) {
            throw new UsageException("--local-part sets the whole local part; drop the length option");
        }
        if (line.hasOption("short")) {
            return LocalPartGenerator.SHORT_LENGTH;
        }
        if (line.hasOption("veryshort")) {
            return LocalPartGenerator.VERY_SHORT_LENGTH;
        }
        if (!line.hasOption("length")) {
            return LocalPartGenerator.DEFAULT_LENGTH;
        }
        String text = line.getOptionValue("length");
        String range = "; give a number from " + LocalPartGenerator.MIN_LENGTH + " to " + LocalPartGenerator.MAX_LENGTH;
        if (!text.matches("[0-9]+")) {
            throw new UsageException("--length: \"" + text + "\" is not a whole number" + range);
        }
        BigInteger length = new BigInteger(text);
        if (length.compareTo(BigInteger.valueOf(LocalPartGenerator.MIN_LENGTH)) < 0) {
            throw new UsageException("--length: " + length + " is too short" + range);
        }
        if (length.compareTo(BigInteger.valueOf(LocalPartGenerator.MAX_LENGTH)) > 0) {
            throw new UsageException("--length: " + length + " is too long" + range);
        }
        return length.intValue();
    }

    private static void checkLocalPart(String localPart, Config config, String domain, Instant now)
            throws UsageException {
        // Refused rather than rewritten: a local part that needs quoting (shop., a b, x..y) would be mangled by
        // many senders and web forms, and the person typing it should choose another.
        if (localPart.length() > LocalPartGenerator.MAX_LENGTH || !AddressForm.isDotAtom(localPart)) {
            throw new UsageException("--local-part: \"" + localPart + "\" refused: not a dot-atom (letters, "
                    + "digits and !#$%&'*+/=?^_`{|}~- with single dots between them, up to "
                    + LocalPartGenerator.MAX_LENGTH + " characters)");
        }
        Optional<DatedAddressResolver> dated = config.addresses().defaultOwner()
                .map(owner -> DatedAddressResolver.from(config.addresses(), owner));
        if (dated.isPresent() && !(dated.get().resolve(localPart + "@" + domain, now) instanceof Resolution.Unknown)) {
            throw new UsageException("--local-part: \"" + localPart + "\" is one of the dated addresses");
        }
    }

    /** A date means to the end of that day in TIMEZONE; a time means that instant. */
    static Optional<Instant> expires(String text, Config config, Instant now) throws UsageException {
        if (text == null) {
            return Optional.empty();
        }
        Instant expires;
        try {
            expires = LocalDate.parse(text).plusDays(1).atStartOfDay(config.addresses().zone()).toInstant();
        } catch (DateTimeParseException notDate) {
            try {
                expires = TimeArgument.parse(text, config.addresses().zone());
            } catch (UsageException notTime) {
                throw new UsageException("--expires: \"" + text + "\" is not a date (expected 2027-06-30, "
                        + "2027-06-30T12:00 or 2027-06-30T12:00+02:00)");
            }
        }
        if (!expires.isAfter(now)) {
            throw new UsageException("--expires: " + text + " is in the past");
        }
        return Optional.of(expires);
    }
}
