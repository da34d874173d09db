package org.tempmail.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How an address key reads: quoting, case, extensions, and what cannot be an address of ours. */
class AddressFormTest {
    private static final AddressForm PLUS = new AddressForm("+");

    private static AddressForm.Reading read(AddressForm form, String address) {
        return form.read(address).orElseThrow(() -> new AssertionError(address + " did not read"));
    }

    @Test
    void quotedAndUnquotedFormsReadAlike() {
        for (String form : new String[] {"shop.@Temp.Example.ORG", "\"shop.\"@temp.example.org",
                "\"SHOP.\"@temp.example.org", "\"sh\\op.\"@temp.example.org", "\"\\\"shop.\\\"\"@temp.example.org"}) {
            assertEquals("shop.@temp.example.org", read(PLUS, form).address(), form);
        }
        assertEquals("a b@temp.example.org", read(PLUS, "\"a b\"@temp.example.org").address());
        assertEquals("a\"b\\c@d", read(PLUS, "\"a\\\"b\\\\c\"@d").address(), "Postfix escapes \" and \\ in quotes");
        assertEquals("a@b@d", read(PLUS, "\"a@b\"@d").address(), "the domain starts after the last @");
    }

    @Test
    void whatIsNotOneQuotedStringIsTakenAsItIs() {
        assertEquals("\"a\"b\"@d", read(PLUS, "\"a\"b\"@d").address(), "an unescaped quote inside");
        assertEquals("\"a\\\"@d", read(PLUS, "\"a\\\"@d").address(), "a backslash escaping the closing quote");
        assertEquals("\"a\".b@d", read(PLUS, "\"a\".b@d").address(), "quotes around part of it only");
    }

    @Test
    void anExtensionStartsAtTheFirstDelimiterAndKeepsItsCase() {
        AddressForm.Reading reading = read(PLUS, "1A2B3C4D+Shop+More@temp.example.org");
        assertEquals("1a2b3c4d+shop+more@temp.example.org", reading.address());
        assertEquals(Optional.of("1a2b3c4d@temp.example.org"), reading.baseAddress());
        assertEquals(Optional.of("Shop+More"), reading.extension());
        assertEquals(Optional.of("my shop"), read(PLUS, "\"1a2b+my shop\"@d").extension());

        AddressForm several = new AddressForm("+-");
        assertEquals(Optional.of("a@d"), read(several, "a-x+y@d").baseAddress());
        assertEquals(Optional.of("x+y"), read(several, "a-x+y@d").extension());
        assertEquals(Optional.of("a@d"), read(several, "a+x-y@d").baseAddress());
    }

    @Test
    void aLeadingDelimiterOrAnEmptyExtensionIsNoExtension() {
        AddressForm.Reading leading = read(PLUS, "+shop@d");
        assertEquals(Optional.empty(), leading.baseAddress(), "Postfix never splits off the whole local part");
        AddressForm.Reading empty = read(PLUS, "abc+@d");
        assertEquals(Optional.of("abc@d"), empty.baseAddress());
        assertEquals(Optional.empty(), empty.extension(), "nothing to show after the delimiter");
    }

    @Test
    void anEmptyDelimiterSetSplitsNothing() {
        AddressForm none = new AddressForm("");
        AddressForm.Reading reading = read(none, "abc+shop@d");
        assertEquals("abc+shop@d", reading.address());
        assertEquals(Optional.empty(), reading.baseAddress());
        assertEquals(Optional.empty(), reading.extension());
    }

    @Test
    void keysThatCannotBeAddressesDoNotRead() {
        for (String key : new String[] {"", "*", "abc", "@d", "abc@", "\"\"@d", "a\tb@d", "ab\u00e9@d", "ab@d\u00e9",
                "\"a\\\u00e9\"@d", "\"a\u0001\"@d"}) {
            assertTrue(PLUS.read(key).isEmpty(), key);
        }
    }

    @Test
    void dotAtomsAreTheLocalPartsThatNeedNoQuoting() {
        for (String good : new String[] {"shop", "a.b", "x+y", "!#$%&'*+/=?^_`{|}~-", "A1"}) {
            assertTrue(AddressForm.isDotAtom(good), good);
        }
        for (String bad : new String[] {"", "shop.", ".shop", "x..y", "a b", "a\"b", "a\\b", "a@b", "a(b)", "ä"}) {
            assertFalse(AddressForm.isDotAtom(bad), bad);
        }
    }
}
