package org.tempmail.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.tempmail.cli.command.Command;
import org.tempmail.cli.command.CommonOptions;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.cli.command.UsageException;
import org.tempmail.config.Config;
import org.tempmail.config.DefaultOwner;
import org.tempmail.postfix.PipeUserAccess;
import org.tempmail.postfix.PostfixLines;
import org.tempmail.storage.CapabilityStore;
import org.tempmail.storage.StoreException;

/** Prints the main.cf and master.cf lines for this configuration, ready to paste. */
final class PostfixConfigCommand implements Command {
    static final Path DEFAULT_LAUNCHER = Path.of("/usr/local/bin/tempmail");
    static final String DEFAULT_USER = "tempmail";
    /** Set by bin/tempmail to its own path, so the master.cf entry names the launcher that was run. */
    static final String LAUNCHER_VARIABLE = "TEMPMAIL_LAUNCHER";
    /** The java pipe(8) finds: it runs commands with PATH=/usr/bin:/bin and no JAVA_HOME. */
    static final Path PIPE_JAVA = Path.of("/usr/bin/java");

    @Override
    public String name() {
        return "postfix-config";
    }

    @Override
    public String summary() {
        return "print the main.cf and master.cf lines for this configuration";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("launcher").hasArg().argName("PATH")
                        .desc("the tempmail launcher pipe(8) runs (default: the launcher running this command, "
                                + "else " + DEFAULT_LAUNCHER + ")").get())
                .addOption(Option.builder().longOpt("user").hasArg().argName("NAME")
                        .desc("the user pipe(8) runs tempmail deliver as; not root (default: " + DEFAULT_USER
                                + ")").get())
                .addOption(Option.builder().longOpt("queue-directory").hasArg().argName("DIR")
                        .desc("Postfix's queue_directory, its daemons' chroot (default: "
                                + PostfixLines.DEFAULT_QUEUE_DIRECTORY + ")").get());
    }

    @Override
    public int run(Invocation invocation, CommandLine line) throws Exception {
        CommonOptions.noArguments(line);
        String user = line.getOptionValue("user", DEFAULT_USER);
        if (user.isEmpty() || user.equals("root") || user.equals("0")) {
            throw new UsageException("--user must name an unprivileged user: pipe(8) refuses root");
        }
        Config config = invocation.loadConfig();
        Path configFile = invocation.configPath().toAbsolutePath().normalize();
        Path launcher = launcher(invocation, line);
        List<String> ownerDomains;
        try {
            ownerDomains = ownerDomains(config);
        } catch (StoreException e) {
            // Lines without the owners' domains would pass for complete in main.cf, and mail to those domains
            // would be refused as relaying: none rather than some.
            invocation.err().println("tempmail postfix-config: cannot read the owners, whose domains the lines must "
                    + "name: " + e.getMessage() + "; printed nothing: run it again once "
                    + config.database().describe() + " can be read");
            return ExitStatus.USAGE;
        }
        PostfixLines lines = new PostfixLines(config, new PostfixLines.Installation(launcher, configFile, user,
                Path.of(line.getOptionValue("queue-directory", PostfixLines.DEFAULT_QUEUE_DIRECTORY.toString()))),
                ownerDomains);
        List<String> warnings = new ArrayList<>(lines.warnings());
        if (!lines.lmtpDelivery()) {
            // Only the pipe runs the launcher; with LMTP the unit's serve delivers.
            warnings.addAll(launcherWarnings(user, launcher));
        }
        print(invocation.out(), config, configFile, launcher, lines, warnings);
        for (String warning : warnings) {
            invocation.err().println("tempmail postfix-config: warning: " + warning);
        }
        return ExitStatus.OK;
    }

    /** The domains of the owners in DATABASE; none while DATABASE is unset and its default file absent. */
    private static List<String> ownerDomains(Config config) throws StoreException {
        String domain = config.addresses().domain().toLowerCase(Locale.ROOT);
        try (CapabilityStore store = CapabilityStore.open(config.database())) {
            return store.owners().list().stream().map(owner -> owner.domainOr(domain)).toList();
        }
    }

    /**
     * Whether the pipe's user can run the launcher: pipe(8) bounces every message when it cannot execute its
     * command ("Command died with status 1"), so a checkout in a private home directory must not go unnoticed.
     */
    private static List<String> launcherWarnings(String user, Path launcher) throws InterruptedException {
        try {
            Optional<PipeUserAccess.Account> account = PipeUserAccess.lookup(user);
            if (account.isEmpty()) {
                return List.of("there is no user " + user + " on this host, and pipe(8) runs " + launcher + " as "
                        + "that user: create it (install guide, step 3) or give --user");
            }
            return PipeUserAccess.problem(account.get(), launcher, true)
                    .map(problem -> List.of(problem + ": pipe(8) could not run it as " + user + " and would bounce "
                            + "every message for the domain. Install the launcher and jar where " + user + " can "
                            + "reach them (install guide, step 2: " + DEFAULT_LAUNCHER + "), or give --launcher"))
                    .orElse(List.of());
        } catch (IOException e) {
            return List.of("cannot tell whether " + user + " may run " + launcher + " (" + e.getMessage()
                    + "): run postfix-config as root");
        }
    }

    private static Path launcher(Invocation invocation, CommandLine line) {
        String option = line.getOptionValue("launcher");
        if (option != null) {
            return Path.of(option);
        }
        String fromLauncher = invocation.environment().get(LAUNCHER_VARIABLE);
        return fromLauncher == null || fromLauncher.isEmpty() ? DEFAULT_LAUNCHER : Path.of(fromLauncher);
    }

    private static void print(PrintStream out, Config config, Path configFile, Path launcher, PostfixLines lines,
            List<String> warnings) {
        var socketmap = config.socketmap();
        out.println("# Postfix lines for " + configFile + " (tempmail postfix-config).");
        for (String warning : warnings) {
            out.println("# WARNING: " + warning);
        }
        out.println();
        out.println("# ---- /etc/postfix/main.cf: add ONE of the two setups, then run: postfix reload");
        out.println("# Setup 1 (recommended): relay class + " + (lines.lmtpDelivery()
                ? "LMTP to tempmail serve (TRANSPORT=" + config.socketmap().transport() + ")"
                : "pipe transport") + ". If relay_domains or transport_maps are");
        out.println("# set already, add to them; relay_recipient_maps applies to every relay domain.");
        out.println("# The socketmap is asked about this domain only: while tempmail serve is down, only its mail");
        out.println("# waits (senders get 451 at RCPT TO); mail for other domains flows.");
        lines.relaySetup().forEach(out::println);
        if (lines.lmtpDelivery()) {
            out.println("# lmtp_line_length_limit applies to every lmtp destination; 0 keeps long lines whole.");
            out.println("# For the pipe instead: TRANSPORT=tempmail: in tempmail.cf, then run postfix-config again.");
        } else {
            out.println("# For LMTP to tempmail serve instead (no JVM per message): LMTP_LISTEN=unix and");
            out.println("# TRANSPORT=" + lines.lmtpTransport() + " in tempmail.cf, then run postfix-config again.");
        }
        out.println();
        out.println("# Setup 2: postfix-tempmail style, virtual alias class, no pipe (no master.cf entry needed).");
        lines.virtualAliasSetup().forEach(l -> out.println("#" + l));
        out.println();
        if (lines.lmtpDelivery() && lines.masterEntry().isEmpty()) {
            out.println("# ---- /etc/postfix/master.cf: nothing to add; Postfix's own lmtp service delivers.");
        } else if (lines.lmtpDelivery()) {
            out.println("# ---- /etc/postfix/master.cf: append the reinjection smtpd LMTP_REINJECT names, then run:"
                    + " postfix reload");
            lines.masterEntry().forEach(out::println);
        } else {
            out.println("# ---- /etc/postfix/master.cf (Setup 1): append, then run: postfix reload");
            lines.masterEntry().forEach(out::println);
            out.println("# " + launcher + " runs " + javaNote());
        }
        out.println();
        out.println("# ---- check, as root, with tempmail serve running: the first address valid now");
        String table = lines.tableFromShell(socketmap.recipientMapName());
        Optional<DefaultOwner> owner = config.addresses().defaultOwner();
        if (owner.isPresent()) {
            out.println("#   postmap -q \"$(" + launcher + " --config " + configFile + " | head -n 1)\" " + table);
            out.println("# prints " + owner.get().maildrop() + "; an unknown address prints nothing (exit 1).");
        } else {
            out.println("#   postmap -q \"$(" + launcher + " --config " + configFile + " addresses --owner NAME "
                    + "| head -n 1)\" " + table);
            out.println("# with NAME an owner (tempmail owner list) prints its maildrop; an unknown address prints "
                    + "nothing (exit 1).");
        }
    }

    /** Which java and jar the pipe will use, and whether pipe(8) will find that java at all. */
    private static String javaNote() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String jar = runningJar().map(Path::toString).orElse("the tempmail jar");
        String note = java + " -cp " + jar + " org.tempmail.cli.Main (as run now)";
        if (!Files.isExecutable(PIPE_JAVA)) {
            note += "; WARNING: pipe(8) runs commands with PATH=/usr/bin:/bin and " + PIPE_JAVA
                    + " does not exist: install a Java 17+ runtime there";
        }
        return note;
    }

    private static Optional<Path> runningJar() {
        try {
            Path location = Path.of(PostfixConfigCommand.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI());
            return Files.isRegularFile(location) ? Optional.of(location) : Optional.empty();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
