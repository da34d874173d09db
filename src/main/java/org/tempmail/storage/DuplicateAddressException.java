package org.tempmail.storage;

/** A capability address with this local part already exists in this domain. */
public final class DuplicateAddressException extends StoreException {
    private static final long serialVersionUID = 1L;

    public DuplicateAddressException(String address) {
        super(address + " already exists");
    }
}
