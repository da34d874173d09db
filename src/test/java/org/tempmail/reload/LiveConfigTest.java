package org.tempmail.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.address.Resolution;
import org.tempmail.config.Config;
import org.tempmail.config.ConfigException;

/** The reloading itself, with real files and a stand-in for what the server builds from each configuration. */
class LiveConfigTest {
    @TempDir
    Path dir;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<String> retired = Collections.synchronizedList(new ArrayList<>());

    /** Serves the LENGTH of each configuration, and records which were let go. */
    private final LiveConfig.Serving<Integer> lengths = new LiveConfig.Serving<>() {
        @Override
        public Integer start(Config config, Optional<Integer> running) {
            return config.addresses().length();
        }

        @Override
        public void retire(Integer replaced, Integer successor) {
            retired.add(replaced + "->" + successor);
        }
    };

    private Path config(String... extra) throws IOException {
        Path file = dir.resolve("tempmail.cf");
        List<String> lines = new ArrayList<>(List.of("SHARED_SECRET_FILE=secret", "DOMAIN=temp.example.org",
                "MAILDROP=owner@example.org", "SOCKETMAP_SOCKET_TYPE=inet"));
        lines.addAll(List.of(extra));
        Path edited = dir.resolve("tempmail.cf.new");
        Files.write(edited, lines);
        Files.setPosixFilePermissions(edited, PosixFilePermissions.fromString("rw-------"));
        Files.move(edited, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private void secret(String value) throws IOException {
        Path file = dir.resolve("secret");
        Files.writeString(file, value + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private LiveConfig<Integer> load(Path file) throws ConfigException {
        return LiveConfig.load(file, lengths, log::add);
    }

    @Test
    void anEditIsServedFromTheNextRefreshOnAndTheReplacedStateIsRetired() throws Exception {
        secret("a secret of some length");
        LiveConfig<Integer> live = load(config("LENGTH=8"));
        live.refresh("test");
        assertEquals(List.of(), log, "nothing changed, nothing reloaded");
        LiveConfig.Loaded<Integer> first = live.current();

        config("LENGTH=10");
        live.refresh("test");
        assertEquals(10, live.current().served());
        assertEquals(List.of("8->10"), retired);
        assertEquals(1, log.size(), log::toString);
        assertTrue(log.get(0).matches("reloaded " + dir.resolve("tempmail.cf")
                + " \\(sha256 [0-9a-f]{12}, test\\)"), log::toString);
        assertTrue(log.get(0).contains(live.current().version()));

        config("LENGTH=8");
        live.refresh("test");
        assertEquals(8, live.current().served(), "the old file back is the old configuration back");
        assertEquals(first.version(), live.current().version());
    }

    @Test
    void anEditWithAnErrorKeepsTheLastGoodConfigurationAndIsLoggedOnceWithFileLineAndKey() throws Exception {
        secret("a secret of some length");
        LiveConfig<Integer> live = load(config("LENGTH=10"));
        LiveConfig.Loaded<Integer> good = live.current();
        Path file = config("LENGTH=99");
        for (int i = 0; i < 3; i++) {
            live.refresh("test");
        }
        assertSame(good, live.current());
        assertEquals(List.of("reload of " + file + " failed (test); still serving the configuration of sha256 "
                + good.version() + ": " + file + ":5: LENGTH: 99 is out of range (expected 8..64 for SCHEME "
                + "hmac-sha256)"), log);

        config("LENGTH 12");
        live.refresh("test");
        assertSame(good, live.current());
        assertTrue(log.get(1).endsWith(file + ":5: LENGTH: expected KEY=value (no spaces around '='); the line is "
                + "not shown, as it may hold a secret"), log::toString);

        config("LENGTH=12");
        live.refresh("test");
        assertEquals(12, live.current().served());
    }

    @Test
    void aChangedSecretFileIsReloadedAndAMissingOneKeepsTheLastGood() throws Exception {
        secret("the first secret, long enough");
        LiveConfig<Integer> live = load(config());
        LiveConfig.Loaded<Integer> first = live.current();
        secret("the second secret, long enough");
        live.refresh("test");
        assertNotSame(first, live.current());
        assertTrue(log.get(0).startsWith("reloaded "), log::toString);

        Files.delete(dir.resolve("secret"));
        LiveConfig.Loaded<Integer> second = live.current();
        live.refresh("test");
        assertSame(second, live.current());
        assertTrue(log.get(1).endsWith(":1: SHARED_SECRET_FILE: cannot read " + dir.resolve("secret")
                + ": no such file"), log::toString);
    }

    @Test
    void whereLmtpMailIsResubmittedChangesOnAReloadWhereItIsTakenFromOnlyOnARestart() throws Exception {
        secret("a secret of some length");
        LiveConfig<Integer> live = load(config("LMTP_LISTEN=inet:127.0.0.1:10024"));
        config("LMTP_LISTEN=inet:127.0.0.1:10025", "LMTP_REINJECT=inet:127.0.0.1:10026");
        live.refresh("test");
        Config now = live.current().config();
        assertEquals(10024, now.lmtp().inetPort());
        assertEquals(Optional.of("127.0.0.1"), now.lmtp().reinjectHost());
        assertEquals(10026, now.lmtp().reinjectPort());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("reload: LMTP_LISTEN changed, which needs a restart")),
                log::toString);
        config("LMTP_LISTEN=inet:127.0.0.1:10024");
        live.refresh("test");
        assertEquals(Optional.empty(), live.current().config().lmtp().reinjectHost());
        assertTrue(log.stream().noneMatch(l -> l.contains("LMTP_REINJECT")), log::toString);
    }

    @Test
    void settingsThatNeedARestartKeepTheirRunningValueAndSaySo() throws Exception {
        secret("a secret of some length");
        LiveConfig<Integer> live = load(config("SOCKETMAP_INET_PORT=10000", "DELIVERY_SOCKET=/run/a"));
        config("SOCKETMAP_INET_PORT=10001", "DELIVERY_SOCKET=/run/b", "LENGTH=9");
        live.refresh("test");
        Config now = live.current().config();
        assertEquals(9, now.addresses().length());
        assertEquals(10000, now.socketmap().inetPort());
        assertEquals(Optional.of(Path.of("/run/a")), now.delivery().deliverySocket());
        for (String key : List.of("SOCKETMAP_INET_PORT", "DELIVERY_SOCKET")) {
            assertTrue(log.contains("reload: " + key + " changed, which needs a restart (systemctl restart "
                    + "tempmail); keeping the running value until then"), log::toString);
        }
    }

    @Test
    void theWatcherFollowsEditsAndAHangupReloadsAnUnchangedFile() throws Exception {
        secret("a secret of some length");
        LiveConfig<Integer> live = load(config("LENGTH=8"));
        live.start();
        try {
            config("LENGTH=11");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (live.current().served() != 11 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(11, live.current().served(), "picked up by the poll");
            assertTrue(log.get(0).endsWith(", the file changed)"), log::toString);

            live.requestReload();
            while (log.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(log.get(1).endsWith(", SIGHUP)"), log::toString);
            assertEquals(11, live.current().served());
        } finally {
            live.close();
        }
    }

    @Test
    void aBrokenFileAtStartIsAnErrorThatStopsTheStart() throws Exception {
        secret("a secret of some length");
        Path file = config("LENGTH=7");
        ConfigException e = assertThrows(ConfigException.class, () -> load(file));
        assertTrue(e.getMessage().startsWith(file + ":5: LENGTH: 7 is out of range"), e.getMessage());
    }
    /** The README's rotation steps, each state read as the server would: no address handed out stops working. */
    @Test
    void theRotationStepsKeepTheOldAddressesValidAndTheNewOnesComeFromTheNewSecret() throws Exception {
        LiveConfig.Serving<DatedAddressResolver> resolvers = new LiveConfig.Serving<>() {
            @Override
            public DatedAddressResolver start(Config config, Optional<DatedAddressResolver> running) {
                return DatedAddressResolver.from(config.addresses());
            }

            @Override
            public void retire(DatedAddressResolver replaced, DatedAddressResolver successor) {
            }
        };
        Instant now = Instant.now();
        String today = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
        secret("the old secret, long enough");
        LiveConfig<DatedAddressResolver> live = LiveConfig.load(config("TIMEZONE=UTC"), resolvers, log::add);
        List<String> handedOut = live.current().served().validAddresses(now);

        Files.copy(dir.resolve("secret"), dir.resolve("secret.previous"), StandardCopyOption.COPY_ATTRIBUTES);
        config("TIMEZONE=UTC", "PREVIOUS_SHARED_SECRET_FILE=secret.previous",
                "PREVIOUS_SHARED_SECRET_LAST_DAY=" + today);
        live.refresh("test");
        assertEquals(handedOut, live.current().served().validAddresses(now));

        Path next = dir.resolve("secret.new");
        Files.writeString(next, "the new secret, long enough\n");
        Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-------"));
        Files.move(next, dir.resolve("secret"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        live.refresh("test");
        DatedAddressResolver rotated = live.current().served();
        for (String address : handedOut) {
            assertTrue(rotated.resolve(address, now) instanceof Resolution.Valid, address);
        }
        List<String> fresh = rotated.validAddresses(now);
        assertTrue(Collections.disjoint(handedOut, fresh), "new addresses from the new secret only");
        for (String address : fresh) {
            assertTrue(rotated.resolve(address, now) instanceof Resolution.Valid, address);
        }
        assertEquals(2, log.size(), log::toString);
    }
}
