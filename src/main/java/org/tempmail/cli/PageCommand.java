package org.tempmail.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.tempmail.cli.command.Command;
import org.tempmail.cli.command.CommonOptions;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.cli.command.UsageException;
import org.tempmail.config.Config;
import org.tempmail.page.OfflinePage;
import org.tempmail.page.PageSettings;
import org.tempmail.storage.CapabilityStore;
import org.tempmail.storage.StoreException;

/** tempmail page: writes the offline page on which owners make the day's addresses themselves. */
final class PageCommand implements Command {
    @Override
    public String name() {
        return "page";
    }

    @Override
    public String summary() {
        return "write the offline HTML page that makes the day's addresses in a browser";
    }

    @Override
    public String details() {
        return """
                 One self-contained HTML file with DOMAIN, LENGTH, SCHEME, VALID_DAYS and TIMEZONE built in; it
                 never holds the secret, which the owner types in. It loads nothing and sends nothing (its
                 Content-Security-Policy forbids every connection), so it can be mailed to the owner, kept on
                 a phone or put on any web server. Without --output it goes to standard output.
                 Write it again after changing one of those settings.""";
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder().longOpt("output").hasArg().argName("FILE")
                .desc("write the page to FILE (replacing it) instead of standard output").get())
                .addOption(Option.builder().longOpt("owner").hasArg().argName("NAME")
                        .desc("the page of this owner (see tempmail owner) instead of tempmail.cf's").get());
    }

    @Override
    public int run(Invocation invocation, CommandLine line) throws Exception {
        CommonOptions.noArguments(line);
        Config config = invocation.loadConfig();
        PageSettings settings;
        try {
            if (line.hasOption("owner")) {
                try (CapabilityStore store = CapabilityStore.open(config.database())) {
                    settings = PageSettings.forOwner(store.owners().get(line.getOptionValue("owner")),
                            config.addresses());
                } catch (StoreException e) {
                    invocation.err().println("tempmail page: " + e.getMessage());
                    return ExitStatus.USAGE;
                }
            } else {
                config.defaultOwner("give --owner NAME (tempmail owner list shows the names)");
                settings = PageSettings.from(config.addresses());
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        String page = OfflinePage.render(settings);
        String output = line.getOptionValue("output");
        if (output == null) {
            invocation.out().print(page);
            return ExitStatus.OK;
        }
        Path target = Path.of(output).toAbsolutePath();
        try {
            write(page, target);
        } catch (IOException e) {
            invocation.err().println("tempmail page: cannot write " + target + ": "
                    + (e instanceof NoSuchFileException ? "no such directory"
                    : e instanceof AccessDeniedException ? "permission denied" : e.getMessage()));
            return ExitStatus.USAGE;
        }
        invocation.err().println("tempmail page: wrote " + target + " for " + settings.domain() + " ("
                + settings.scheme().configName() + ", length " + settings.length() + ", days in "
                + settings.timeZone() + "); open it in a browser and type the secret in");
        return ExitStatus.OK;
    }

    /** Whole or not at all: a page cut short would show wrong addresses or none. */
    private static void write(String page, Path target) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), ".tempmail-page", ".html");
        try {
            Files.writeString(temporary, page, StandardCharsets.UTF_8);
            // It holds no secret and is meant to be handed on, e.g. to a web server.
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
