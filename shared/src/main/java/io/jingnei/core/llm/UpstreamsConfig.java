package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Durations;
import io.jingnei.core.config.Env;
import io.jingnei.core.util.Json;
import io.jingnei.core.util.TimeSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the upstream list. {@code JINGNEI_UPSTREAMS} holds a JSON list inline, {@code @/path/file.json},
 * or an object-storage URI read at start-up; each entry is
 * {@code {name, base_url, api_keys[], models[], model_map{}, weight, timeout, max_retries, headers{}}}.
 * Without it, {@code JINGNEI_LLM_BASE_URL} and {@code JINGNEI_LLM_API_KEY} define one upstream as
 * before. Key values may be written {@code ${NAME}} to take them from another variable.
 */
public final class UpstreamsConfig {
    public static final String LEGACY_NAME = "default";
    private static final ObjectMapper JSON = Json.mapper();
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Set<String> FIELDS = Set.of("name", "base_url", "api_keys", "api_key", "models", "model_map",
            "weight", "timeout", "max_retries", "headers");

    private UpstreamsConfig() {
    }

    /** What every upstream falls back to when its entry does not say. */
    public static final class Defaults {
        final Duration timeout;
        final int maxRetries;
        final int breakerFailures;
        final Duration breakerOpen;

        public Defaults(Duration timeout, int maxRetries, int breakerFailures, Duration breakerOpen) {
            this.timeout = timeout;
            this.maxRetries = maxRetries;
            this.breakerFailures = breakerFailures;
            this.breakerOpen = breakerOpen;
        }
    }

    /**
     * @param objectReader reads an object-storage URI at start-up (for JINGNEI_UPSTREAMS=oss://...)
     * @param legacyBaseUrl/legacyKey JINGNEI_LLM_BASE_URL and the key, used when the list is not set
     */
    public static List<Upstream> read(Env env, Defaults defaults, TimeSource time, Function<String, byte[]> objectReader,
                                      String legacyBaseUrl, String legacyKey) {
        String spec = env.get("JINGNEI_UPSTREAMS").orElse(null);
        if (spec == null) {
            List<String> keys = legacyKey == null ? List.of() : List.of(legacyKey);
            return List.of(new Upstream(LEGACY_NAME, legacyBaseUrl, keys, Set.of(Upstream.ANY_MODEL), Map.of(), 1,
                    defaults.timeout, defaults.maxRetries, Map.of(),
                    new CircuitBreaker(defaults.breakerFailures, defaults.breakerOpen, time)));
        }
        JsonNode list = parse(load(spec, objectReader));
        if (!list.isArray() || list.isEmpty()) {
            throw new ConfigException("JINGNEI_UPSTREAMS must be a non-empty JSON list of upstreams");
        }
        List<Upstream> upstreams = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Upstream upstream = entry(list.get(i), i + 1, env, defaults, time);
            if (!names.add(upstream.name)) {
                throw new ConfigException("JINGNEI_UPSTREAMS: the name '" + upstream.name + "' is used twice");
            }
            upstreams.add(upstream);
        }
        return Collections.unmodifiableList(upstreams);
    }

    private static String load(String spec, Function<String, byte[]> objectReader) {
        String trimmed = spec.trim();
        if (trimmed.startsWith("[")) {
            return trimmed;
        }
        if (trimmed.startsWith("@")) {
            try {
                return Files.readString(Paths.get(trimmed.substring(1)), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException("JINGNEI_UPSTREAMS: cannot read " + trimmed.substring(1) + " (" + e.getClass().getSimpleName() + ")", e);
            }
        }
        if (trimmed.contains("://")) {
            return new String(objectReader.apply(trimmed), StandardCharsets.UTF_8);
        }
        throw new ConfigException("JINGNEI_UPSTREAMS must be a JSON list, @/path/to/file.json, or an object-storage URI");
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            // The message may quote the text, and the text holds keys: say only where it broke.
            String where = e instanceof com.fasterxml.jackson.core.JsonProcessingException
                    && ((com.fasterxml.jackson.core.JsonProcessingException) e).getLocation() != null
                    ? " (line " + ((com.fasterxml.jackson.core.JsonProcessingException) e).getLocation().getLineNr() + ")" : "";
            throw new ConfigException("JINGNEI_UPSTREAMS is not valid JSON" + where);
        }
    }

    private static Upstream entry(JsonNode node, int number, Env env, Defaults defaults, TimeSource time) {
        String at = "JINGNEI_UPSTREAMS entry " + number;
        if (!node.isObject()) {
            throw new ConfigException(at + " must be an object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new ConfigException(at + ": unknown field '" + field + "'; valid fields: " + String.join(", ", new java.util.TreeSet<>(FIELDS)));
            }
        }
        String name = text(node, "name", at);
        String baseUrl = text(node, "base_url", at);
        if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
            throw new ConfigException(at + " (" + name + "): base_url must start with https:// or http://");
        }
        String named = at + " (" + name + ")";
        List<String> keys = keys(node, env, named);
        Set<String> models = models(node.path("models"), named);
        Map<String, String> modelMap = strings(node.path("model_map"), named + ": model_map");
        Map<String, String> headers = headers(node.path("headers"), env, named);
        int weight = node.path("weight").isMissingNode() ? 1 : node.path("weight").asInt(-1);
        if (weight < 1 || weight > 1000) {
            throw new ConfigException(named + ": weight must be a whole number from 1 to 1000");
        }
        Duration timeout = node.hasNonNull("timeout") ? timeout(node.get("timeout"), at, named) : defaults.timeout;
        int maxRetries = node.path("max_retries").isMissingNode() ? defaults.maxRetries : node.path("max_retries").asInt(-1);
        if (maxRetries < 0 || maxRetries > 10) {
            throw new ConfigException(named + ": max_retries must be from 0 to 10");
        }
        return new Upstream(name, baseUrl, keys, Collections.unmodifiableSet(models), Collections.unmodifiableMap(modelMap),
                weight, timeout, maxRetries, Collections.unmodifiableMap(headers),
                new CircuitBreaker(defaults.breakerFailures, defaults.breakerOpen, time));
    }

    /** The entry's keys; one null key for a self-hosted upstream without keys (no Authorization header is sent). */
    private static List<String> keys(JsonNode node, Env env, String named) {
        List<String> keys = new ArrayList<>();
        JsonNode keyNode = node.has("api_keys") ? node.get("api_keys") : node.get("api_key");
        if (keyNode != null) {
            for (JsonNode key : keyNode.isArray() ? keyNode : JSON.createArrayNode().add(keyNode)) {
                if (!key.isTextual() || key.asText().isBlank()) {
                    throw new ConfigException(named + ": api_keys must be a list of non-empty strings");
                }
                keys.add(expand(key.asText().trim(), env, named));
            }
        }
        if (keys.isEmpty()) {
            keys.add(null);
        }
        return keys;
    }

    private static Set<String> models(JsonNode modelNode, String named) {
        Set<String> models = new LinkedHashSet<>();
        if (modelNode.isMissingNode() || modelNode.isNull()) {
            models.add(Upstream.ANY_MODEL);
        } else {
            for (JsonNode model : modelNode) {
                if (!model.isTextual() || model.asText().isBlank()) {
                    throw new ConfigException(named + ": models must be a list of model names (or [\"*\"])");
                }
                models.add(model.asText().trim());
            }
            if (models.isEmpty()) {
                throw new ConfigException(named + ": models is empty; use [\"*\"] to serve any model");
            }
        }
        return models;
    }

    private static Map<String, String> headers(JsonNode node, Env env, String named) {
        Map<String, String> headers = strings(node, named + ": headers");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase("authorization")) {
                throw new ConfigException(named + ": set keys in api_keys, not as an Authorization header");
            }
            header.setValue(expand(header.getValue(), env, named));
        }
        return headers;
    }

    private static Duration timeout(JsonNode t, String at, String named) {
        Duration timeout = t.isNumber() ? Duration.ofMillis((long) (t.asDouble() * 1000)) : Durations.parse(at + " timeout", t.asText());
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ConfigException(named + ": timeout must be positive, e.g. 90 (seconds) or \"90s\"");
        }
        return timeout;
    }

    private static String text(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new ConfigException(at + ": '" + field + "' is required");
        }
        return value.asText().trim();
    }

    private static Map<String, String> strings(JsonNode node, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new ConfigException(what + " must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new ConfigException(what + ": '" + e.getKey() + "' must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /** "${NAME}" takes the value of another variable, so keys need not sit inside the JSON. */
    private static String expand(String value, Env env, String at) {
        Matcher m = ENV_REF.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String resolved = env.get(name).orElseThrow(() -> new ConfigException(at + " refers to ${" + name + "}, which is not set"));
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString();
    }
}
