package io.jingnei.deployment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The property names a deploy tool knows, as a tree: a descriptor key that is not in it is a key
 * the tool ignores or drops, i.e. a setting that never reaches the platform.
 */
final class AllowedKeys {
    /** Any content: free-form maps (environment variables) and values. */
    static final AllowedKeys ANY = new AllowedKeys(null);

    private final Map<String, AllowedKeys> keys;

    private AllowedKeys(Map<String, AllowedKeys> keys) {
        this.keys = keys;
    }

    /** An object with these keys, each holding any content. */
    static AllowedKeys keys(String... names) {
        Map<String, AllowedKeys> keys = new LinkedHashMap<>();
        Arrays.stream(names).forEach(name -> keys.put(name, ANY));
        return new AllowedKeys(keys);
    }

    /** This object, with {@code name} holding an object checked by {@code nested}. */
    AllowedKeys with(String name, AllowedKeys nested) {
        Map<String, AllowedKeys> more = new LinkedHashMap<>(keys);
        more.put(name, nested);
        return new AllowedKeys(more);
    }

    /** Paths of the keys in {@code value} that are not allowed; lists are checked element by element. */
    List<String> unknown(String path, Object value) {
        List<String> unknown = new ArrayList<>();
        collect(path, value, unknown);
        return unknown;
    }

    private void collect(String path, Object value, List<String> unknown) {
        if (keys == null) {
            return;
        }
        if (value instanceof List) {
            List<?> items = (List<?>) value;
            for (int i = 0; i < items.size(); i++) {
                collect(path + "[" + i + "]", items.get(i), unknown);
            }
        } else if (value instanceof Map) {
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                String key = String.valueOf(entry.getKey());
                AllowedKeys nested = keys.get(key);
                if (nested == null) {
                    unknown.add(path + "." + key);
                } else {
                    nested.collect(path + "." + key, entry.getValue(), unknown);
                }
            }
        }
    }
}
