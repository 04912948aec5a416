package io.jingnei.core.auth;

import io.jingnei.core.util.Hashing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Secret keys and who they stand for, looked up in constant time: the presented key is hashed and
 * compared with every known key's hash, all of them, so neither the time taken nor an early exit
 * tells an attacker how close a guess was or which key matched.
 */
final class KeyTable {
    private final List<byte[]> digests = new ArrayList<>();
    private final List<String> owners = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();

    KeyTable(Map<String, String> keyToOwner) {
        keyToOwner.forEach((key, owner) -> {
            digests.add(Hashing.sha256(key.getBytes(StandardCharsets.UTF_8)));
            owners.add(owner);
            keys.add(key);
        });
    }

    boolean isEmpty() {
        return digests.isEmpty();
    }

    /** The owner of the presented key, or null. */
    String ownerOf(String presented) {
        if (presented == null) {
            return null;
        }
        byte[] candidate = Hashing.sha256(presented.getBytes(StandardCharsets.UTF_8));
        String found = null;
        for (int i = 0; i < digests.size(); i++) {
            if (MessageDigest.isEqual(digests.get(i), candidate)) {
                found = owners.get(i);
            }
        }
        return found;
    }

    /** For the redactor: the keys themselves never leave the core otherwise. */
    List<String> secrets() {
        return Collections.unmodifiableList(keys);
    }
}
