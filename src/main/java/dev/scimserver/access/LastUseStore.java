package dev.scimserver.access;

import java.util.Collection;

/** Writes last-use times; a time never moves backwards (a later write of an earlier time changes nothing). */
public interface LastUseStore {
    void recordLastUse(Collection<LastUse> uses);
}
