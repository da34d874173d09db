package org.tempmail.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.AddressSettings;
import org.tempmail.config.SchemeName;
import org.tempmail.config.Secret;

/**
 * Several owners on one server (issue 11), through a private Postfix in Setup 1: two owners in DOMAIN and a
 * third in a domain of its own, each with a maildrop of its own (owner+NAME@example.org: virtual(8) files them
 * all in one Maildir and names the maildrop in Delivered-To).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class OwnersIT {
    private static final String SENDER = "sender@example.net";
    private static final String OWN_DOMAIN = "temp.example.com";
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final List<String> SETUP_1_KEYS = List.of("relay_domains", "relay_recipient_maps",
            "transport_maps", "tempmail_destination_recipient_limit");

    private static TempmailInstance instance;
    /** Each owner's secret, then its address of today, as `owner add` printed them. */
    private static List<String> alice;
    private static List<String> bob;
    private static List<String> carol;

    @BeforeAll
    static void startInstance() throws Exception {
        TempmailInstance.requireRealPostfix();
        instance = TempmailInstance.start("owners", TempmailInstance.Setup.RELAY);
        int reloads = reloads();
        instance.editConfig("LENGTH", "16");
        awaitReloads(reloads + 1);
        alice = add("alice");
        bob = add("bob");
        carol = add("carol", "--domain", OWN_DOMAIN);
        // The owner's own domain routed to tempmail beside DOMAIN by the lines postfix-config prints now.
        List<String> lines = instance.tempmail("postfix-config", "--queue-directory",
                instance.postfix.queueDirectory().toString()).lines()
                .filter(line -> SETUP_1_KEYS.stream().anyMatch(key -> line.startsWith(key + " = ")))
                .toList();
        assertEquals(SETUP_1_KEYS.size(), lines.size(), lines.toString());
        assertTrue(lines.get(0).equals("relay_domains = temp.example.org, " + OWN_DOMAIN), lines.get(0));
        instance.postfix.reconfigure(lines);
    }

    @AfterAll
    static void stopInstance() throws Exception {
        if (instance != null) {
            instance.close();
        }
    }

    private static List<String> add(String name, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("owner", "add", name, "--maildrop", maildrop(name)));
        args.addAll(List.of(more));
        List<String> printed = instance.tempmail(args.toArray(String[]::new)).lines().toList();
        assertEquals(2, printed.size(), printed.toString());
        return printed;
    }

    private static String maildrop(String name) {
        return "owner+" + name + "@" + PrivatePostfix.MAILDROP_DOMAIN;
    }

    private static void assertArrivesAt(String address, String owner) throws Exception {
        assertArrivesIn(address, maildrop(owner));
    }

    private static void assertArrivesIn(String address, String maildrop) throws Exception {
        TestMessage message = TestMessage.text(SENDER, address);
        try (SmtpClient smtp = new SmtpClient(instance.postfix.smtpPort())) {
            smtp.send(SENDER, address, message);
        }
        Maildir.Delivered delivered = instance.maildir.await(message.marker(), DELIVERY, instance.postfix);
        assertEquals(message.bodyDigest(), delivered.bodyDigest());
        // The topmost Delivered-To is virtual(8)'s, naming the maildrop; the pipe's, below, the temporary address.
        assertEquals(maildrop, delivered.values("Delivered-To").get(0).strip().toLowerCase(Locale.ROOT),
                address + " reached another maildrop: " + delivered.header());
        assertEquals(List.of(maildrop), delivered.values("X-Original-To").stream().map(String::strip).toList());
        assertTrue(delivered.values("X-Tempmail-To").get(0).equalsIgnoreCase(address), delivered.header().toString());
    }

    private static void assertRejectedAtRcpt(String address) throws Exception {
        try (SmtpClient smtp = new SmtpClient(instance.postfix.smtpPort())) {
            assertEquals(250, smtp.mailFrom(SENDER).code());
            SmtpClient.Reply reply = smtp.rcptTo(address);
            assertEquals(550, reply.code(), address + ": " + reply);
            assertTrue(reply.text().startsWith("5.1.1 <" + address + ">"), reply.toString());
        }
    }

    @Test
    @Order(1)
    void twoOwnersInOneDomainAndOneInItsOwnEachReceiveOnlyTheirOwnMail() throws Exception {
        assertTrue(alice.get(1).endsWith("@temp.example.org") && bob.get(1).endsWith("@temp.example.org"));
        assertTrue(carol.get(1).endsWith("@" + OWN_DOMAIN), carol.get(1));
        // The server follows new owners within seconds (README "Several owners").
        awaitRcpt(carol.get(1), 250);
        assertArrivesAt(alice.get(1), "alice");
        assertArrivesAt(bob.get(1), "bob");
        assertArrivesAt(carol.get(1), "carol");
        assertArrivesIn(instance.addressOf(instance.today()), PrivatePostfix.MAILDROP);
    }

    @Test
    @Order(2)
    void aDisabledOwnersAndARemovedOwnersAddressesGet550AtRcpt() throws Exception {
        instance.tempmail("owner", "disable", "bob");
        instance.tempmail("owner", "remove", "carol", "--yes");
        awaitRcpt(bob.get(1), 550);
        awaitRcpt(carol.get(1), 550);
        assertRejectedAtRcpt(bob.get(1));
        assertRejectedAtRcpt(carol.get(1));
        instance.postfix.awaitLog(Pattern.compile("NOQUEUE: reject: RCPT from \\S+: 550 5\\.1\\.1 <"
                + Pattern.quote(carol.get(1)) + ">"), Duration.ofSeconds(10));
        assertArrivesAt(alice.get(1), "alice");
    }

    @Test
    @Order(3)
    void afterRotateSecretTheAddressHandedOutYesterdayStillArrives() throws Exception {
        String yesterdays = addressOfYesterday(alice.get(0));
        instance.tempmail("owner", "rotate-secret", "alice");
        String todays = instance.tempmail("addresses", "--owner", "alice").lines().findFirst().orElseThrow();
        awaitRcpt(todays, 250);
        assertArrivesAt(yesterdays, "alice");
        assertArrivesAt(todays, "alice");
    }

    @Test
    @Order(4)
    void withoutSharedSecretAndMaildropTheOwnersReceiveAndTheFormerOwnerOfTempmailCfGets550() throws Exception {
        String formerDefault = instance.addressOf(instance.today());
        int reloads = reloads();
        instance.editConfig("LENGTH", "16", List.of("SHARED_SECRET", "SHARED_SECRET_FILE", "MAILDROP"));
        awaitReloads(reloads + 1);
        String alices = instance.tempmail("addresses", "--owner", "alice").lines().findFirst().orElseThrow();
        awaitRcpt(formerDefault, 550);
        assertRejectedAtRcpt(formerDefault);
        assertArrivesAt(alices, "alice");
        // A server that starts so, not one that reloaded into it, and an owner added meanwhile.
        instance.server.close();
        instance.server.start();
        List<String> dave = add("dave");
        awaitRcpt(dave.get(1), 250);
        assertArrivesAt(dave.get(1), "dave");
        assertArrivesAt(alices, "alice");
        assertRejectedAtRcpt(formerDefault);
        TempmailInstance.Run check = instance.run("check", formerDefault);
        assertEquals(1, check.status(), check.toString());
        assertEquals(formerDefault + ": unknown (tempmail.cf has no owner of its own: no SHARED_SECRET, no "
                + "MAILDROP)\n", check.out());
        TempmailInstance.Run addresses = instance.run("addresses");
        assertEquals(2, addresses.status(), addresses.toString());
        assertTrue(addresses.err().contains("there is no owner of tempmail.cf, as it sets neither SHARED_SECRET"),
                addresses.err());
        assertTrue(instance.tempmail("postfix-config").contains("relay_domains = temp.example.org\n"));
    }

    /** Yesterday's address of a secret, as the owner's own copy of tempmail (SHARED_SECRET=it) prints it. */
    private static String addressOfYesterday(String secret) throws Exception {
        AddressSettings now = instance.loadedConfig().addresses();
        return DatedAddressResolver.from(new AddressSettings(SchemeName.HMAC_SHA256, new Secret(secret), 16,
                now.domain(), "x@example.org", now.validDays(), now.zone(), "+"))
                .addressOf(instance.today().minusDays(1));
    }

    /** The server follows owner changes within seconds: asks RCPT TO until it gets {@code code}, up to 10 s. */
    private static void awaitRcpt(String address, int code) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (SmtpClient smtp = new SmtpClient(instance.postfix.smtpPort())) {
                assertEquals(250, smtp.mailFrom(SENDER).code());
                SmtpClient.Reply reply = smtp.rcptTo(address);
                if (reply.code() == code) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(address + ": still " + reply + " after 10 s");
                }
            }
            Thread.sleep(250);
        }
    }

    private static int reloads() throws Exception {
        return instance.server.log().split("tempmail serve: reloaded ", -1).length - 1;
    }

    private static void awaitReloads(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (reloads() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server did not reload:\n" + instance.server.log());
            }
            Thread.sleep(100);
        }
    }
}
