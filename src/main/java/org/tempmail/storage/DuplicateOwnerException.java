package org.tempmail.storage;

/** An owner of this name exists already. */
public final class DuplicateOwnerException extends StoreException {
    private static final long serialVersionUID = 1L;

    public DuplicateOwnerException(String name) {
        super("an owner named \"" + name + "\" exists already");
    }
}
