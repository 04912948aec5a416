package io.jingnei.core.auth;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.config.Platform;
import io.jingnei.core.config.Settings;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.util.TimeSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may call what, decided once per request for every platform. Public routes (chat, streams,
 * rag, {@code /v1}) take a client key ({@code JINGNEI_CLIENT_KEYS}) or an end-user JWT as
 * {@code Authorization: Bearer ...} (or {@code x-api-key}); admin functions take an admin key
 * ({@code JINGNEI_ADMIN_KEYS}) and nothing else. Secure by default: with no credential configured,
 * anonymous callers are served only off-platform (a developer's laptop) or with the explicit
 * {@code JINGNEI_AUTH=none}.
 */
public final class Authenticator {
    /** Keys are the operator's choice; below this a guess is cheap (and the redactor would not know them). */
    static final int MIN_KEY_LENGTH = 12;
    static final String NEEDS_CREDENTIALS = "this function requires credentials: set JINGNEI_CLIENT_KEYS (client API keys) "
            + "or JINGNEI_JWT_SECRET / JINGNEI_JWT_PUBLIC_KEY (end-user tokens), or JINGNEI_AUTH=none to serve anonymous callers";

    private final KeyTable clientKeys;
    private final KeyTable adminKeys;
    private final Optional<JwtVerifier> jwt;
    private final boolean anonymousAllowed;
    private final boolean onPlatform;

    Authenticator(KeyTable clientKeys, KeyTable adminKeys, Optional<JwtVerifier> jwt, boolean anonymousAllowed, boolean onPlatform) {
        this.clientKeys = clientKeys;
        this.adminKeys = adminKeys;
        this.jwt = jwt;
        this.anonymousAllowed = anonymousAllowed;
        this.onPlatform = onPlatform;
    }

    public static Authenticator from(Env env) {
        return from(env, TimeSource.system());
    }

    /** @param time the clock end-user tokens' expiry is checked against */
    public static Authenticator from(Env env, TimeSource time) {
        KeyTable client = new KeyTable(clientKeys(env.get("JINGNEI_CLIENT_KEYS").orElse("")));
        Map<String, String> admins = new LinkedHashMap<>();
        List<String> adminKeys = Settings.list(env, "JINGNEI_ADMIN_KEYS");
        for (int i = 0; i < adminKeys.size(); i++) {
            if (adminKeys.get(i).length() < MIN_KEY_LENGTH) {
                throw new ConfigException("JINGNEI_ADMIN_KEYS entry " + (i + 1) + ": keys must be at least " + MIN_KEY_LENGTH + " characters");
            }
            admins.put(adminKeys.get(i), Caller.ADMIN);
        }
        KeyTable admin = new KeyTable(admins);
        Optional<JwtVerifier> jwt = JwtVerifier.from(env, time);
        boolean onPlatform = Platform.detect(env).cloud();
        boolean anonymous = explicitlyOpen(env) || openByDefault(env);
        return new Authenticator(client, admin, jwt, anonymous, onPlatform);
    }

    /** {@code JINGNEI_AUTH=none}: the operator chose to serve anonymous callers. */
    static boolean explicitlyOpen(Env env) {
        return Settings.choice(env, "JINGNEI_AUTH", "auto", "auto", "none").equals("none");
    }

    /**
     * Anonymous callers are served only because nothing was configured, off the platforms: a
     * developer's machine, or a container started without settings (which {@link ListenHost}
     * keeps on loopback).
     */
    static boolean openByDefault(Env env) {
        boolean configured = env.get("JINGNEI_CLIENT_KEYS").isPresent() || env.get("JINGNEI_JWT_SECRET").isPresent()
                || env.get("JINGNEI_JWT_PUBLIC_KEY").isPresent();
        return !explicitlyOpen(env) && !configured && !Platform.detect(env).cloud();
    }

    /** The start-up line about access: said once, so an operator sees why calls answer 401. */
    public Optional<String> startupWarning() {
        if (onPlatform && !anonymousAllowed && clientKeys.isEmpty() && jwt.isEmpty()) {
            return Optional.of("public routes answer 401: " + NEEDS_CREDENTIALS);
        }
        if (onPlatform && anonymousAllowed) {
            return Optional.of("JINGNEI_AUTH=none: public routes serve anonymous callers on a cloud platform");
        }
        return Optional.empty();
    }

    /** For a public route: the caller, or {@code unauthorized} naming what to send. */
    public Caller authenticate(RequestHeaders headers) {
        String presented = presented(headers);
        if (presented == null) {
            if (anonymousAllowed) {
                return Caller.anonymous();
            }
            throw new JingneiException(ErrorKind.UNAUTHORIZED, clientKeys.isEmpty() && jwt.isEmpty() ? NEEDS_CREDENTIALS
                    : "missing credentials: send 'Authorization: Bearer <client key or token>'");
        }
        String user = clientKeys.ownerOf(presented);
        if (user != null) {
            return Caller.user(Caller.Via.CLIENT_KEY, user);
        }
        if (adminKeys.ownerOf(presented) != null) {
            return Caller.user(Caller.Via.ADMIN_KEY, Caller.ADMIN);
        }
        if (jwt.isPresent() && JwtVerifier.looksLikeJwt(presented)) {
            return Caller.user(Caller.Via.JWT, jwt.get().verify(presented));
        }
        if (anonymousAllowed && clientKeys.isEmpty() && jwt.isEmpty()) {
            // Nothing to check a credential against: an open deployment ignores what a client sends
            // (a widget with a placeholder token, an SDK that insists on an api_key).
            return Caller.anonymous();
        }
        throw new JingneiException(ErrorKind.UNAUTHORIZED, "invalid API key or token");
    }

    /** For an admin function: an admin key, or 401 without credentials and 403 with any other. */
    public Caller requireAdmin(RequestHeaders headers) {
        String presented = presented(headers);
        if (adminKeys.isEmpty()) {
            throw new JingneiException(ErrorKind.FORBIDDEN,
                    "admin functions are disabled: set JINGNEI_ADMIN_KEYS and send 'Authorization: Bearer <admin key>'");
        }
        if (presented == null) {
            throw new JingneiException(ErrorKind.UNAUTHORIZED, "admin functions need 'Authorization: Bearer <admin key>' (JINGNEI_ADMIN_KEYS)");
        }
        if (adminKeys.ownerOf(presented) == null) {
            throw new JingneiException(ErrorKind.FORBIDDEN, "this function needs an admin key (JINGNEI_ADMIN_KEYS); a client key or token is not enough");
        }
        return Caller.user(Caller.Via.ADMIN_KEY, Caller.ADMIN);
    }

    /** Every secret this class knows, for the redactor. */
    public List<String> secrets() {
        List<String> all = new ArrayList<>(clientKeys.secrets());
        all.addAll(adminKeys.secrets());
        jwt.ifPresent(j -> all.addAll(j.secrets()));
        return all;
    }

    private static String presented(RequestHeaders headers) {
        String authorization = headers.get("authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String value = authorization.substring(7).trim();
            return value.isEmpty() ? null : value;
        }
        String apiKey = headers.get("x-api-key");
        return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }

    /** {@code key1:user1,key2:user2}; keys are secrets, so errors name the position only. */
    static Map<String, String> clientKeys(String spec) {
        Map<String, String> keys = new LinkedHashMap<>();
        String[] entries = spec.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.lastIndexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new ConfigException("JINGNEI_CLIENT_KEYS entry " + (i + 1) + " must look like key:user_id");
            }
            String user = entry.substring(colon + 1).trim();
            if (!UserIds.valid(user) || user.contains("/")) {
                throw new ConfigException("JINGNEI_CLIENT_KEYS entry " + (i + 1) + ": the user id must be letters, digits or . _ - @ +");
            }
            if (UserIds.reserved(user)) {
                throw new ConfigException("JINGNEI_CLIENT_KEYS entry " + (i + 1) + ": the user id '" + user
                        + "' is reserved (admin, platform and * are accounts of their own); choose another name");
            }
            String key = entry.substring(0, colon).trim();
            if (key.length() < MIN_KEY_LENGTH) {
                throw new ConfigException("JINGNEI_CLIENT_KEYS entry " + (i + 1) + ": keys must be at least " + MIN_KEY_LENGTH + " characters");
            }
            keys.put(key, user);
        }
        return keys;
    }
}
