package org.tempmail.storage;

/** The store has no owner of that name. */
public final class NoSuchOwnerException extends StoreException {
    private static final long serialVersionUID = 1L;

    public NoSuchOwnerException(String name) {
        super("no owner named \"" + name + "\" (tempmail owner list shows them)");
    }
}
