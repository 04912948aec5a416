package io.jingnei.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.config.Settings;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.util.TimeSource;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * End-user tokens for browsers and apps, minted by the customer's own backend: HS256 with
 * {@code JINGNEI_JWT_SECRET}, or RS256/ES256 with {@code JINGNEI_JWT_PUBLIC_KEY} (PEM). The
 * algorithm must be the one the configured key is for (no {@code alg: none}, no HS256 signed with
 * a public key); {@code exp} is required; {@code iss}/{@code aud} are checked when configured; a
 * small clock skew is allowed. Signatures are checked by Nimbus JOSE+JWT, not by our own crypto.
 */
public final class JwtVerifier {
    /** 9999-12-31T23:59:59Z: any later NumericDate is an attack or a bug, and would overflow as milliseconds. */
    static final long MAX_NUMERIC_DATE = 253_402_300_799L;
    private static final List<String> NUMERIC_DATES = List.of("exp", "nbf", "iat");
    private final JWSAlgorithm algorithm;
    private final Supplier<JWSVerifier> verifier;
    private final Optional<String> issuer;
    private final Optional<String> audience;
    private final Duration skew;
    /** Longest accepted {@code exp} from now: a leaked browser token must not work for a year. */
    private final Duration maxLifetime;
    private final TimeSource time;
    private final List<String> secrets;

    JwtVerifier(JWSAlgorithm algorithm, Supplier<JWSVerifier> verifier, Optional<String> issuer, Optional<String> audience,
                Duration skew, Duration maxLifetime, TimeSource time, List<String> secrets) {
        this.algorithm = algorithm;
        this.verifier = verifier;
        this.issuer = issuer;
        this.audience = audience;
        this.skew = skew;
        this.maxLifetime = maxLifetime;
        this.time = time;
        this.secrets = secrets;
    }

    static Optional<JwtVerifier> from(Env env, TimeSource time) {
        Optional<String> secret = env.get("JINGNEI_JWT_SECRET");
        Optional<String> pem = env.get("JINGNEI_JWT_PUBLIC_KEY");
        if (secret.isEmpty() && pem.isEmpty()) {
            return Optional.empty();
        }
        if (secret.isPresent() && pem.isPresent()) {
            throw new ConfigException("set either JINGNEI_JWT_SECRET (HS256) or JINGNEI_JWT_PUBLIC_KEY (RS256/ES256), not both");
        }
        Optional<String> issuer = env.get("JINGNEI_JWT_ISSUER");
        Optional<String> audience = env.get("JINGNEI_JWT_AUDIENCE");
        Duration skew = Duration.ofSeconds(Settings.integer(env, "JINGNEI_JWT_CLOCK_SKEW_SECONDS", 60, 0, 600));
        Duration maxLifetime = Settings.duration(env, "JINGNEI_JWT_MAX_LIFETIME", "24h");
        if (secret.isPresent()) {
            byte[] key = secret.get().getBytes(StandardCharsets.UTF_8);
            if (key.length < 32) {
                throw new ConfigException("JINGNEI_JWT_SECRET must be at least 32 bytes (HS256 needs a 256-bit key)");
            }
            return Optional.of(new JwtVerifier(JWSAlgorithm.HS256, () -> {
                try {
                    return new MACVerifier(key);
                } catch (JOSEException e) {
                    throw new ConfigException("JINGNEI_JWT_SECRET cannot be used for HS256");
                }
            }, issuer, audience, skew, maxLifetime, time, List.of(secret.get())));
        }
        PublicKey key = publicKey(pem.get());
        if (key instanceof RSAPublicKey) {
            RSASSAVerifier rsa = new RSASSAVerifier((RSAPublicKey) key);
            return Optional.of(new JwtVerifier(JWSAlgorithm.RS256, () -> rsa, issuer, audience, skew, maxLifetime, time, List.of()));
        }
        ECPublicKey ecKey = (ECPublicKey) key;
        if (ecKey.getParams().getCurve().getField().getFieldSize() != 256) {
            // Nimbus takes any curve here, and every ES256 token would then fail to verify.
            throw new ConfigException("JINGNEI_JWT_PUBLIC_KEY: EC keys must be on P-256 (ES256); this one has "
                    + ecKey.getParams().getCurve().getField().getFieldSize() + " bits");
        }
        try {
            ECDSAVerifier ec = new ECDSAVerifier(ecKey);
            return Optional.of(new JwtVerifier(JWSAlgorithm.ES256, () -> ec, issuer, audience, skew, maxLifetime, time, List.of()));
        } catch (JOSEException e) {
            throw new ConfigException("JINGNEI_JWT_PUBLIC_KEY: only P-256 EC keys (ES256) and RSA keys (RS256) are supported");
        }
    }

    /** Three base64url parts: worth trying as a token rather than as a key. */
    static boolean looksLikeJwt(String presented) {
        int first = presented.indexOf('.');
        return first > 0 && presented.indexOf('.', first + 1) > first && presented.length() < 8192;
    }

    /** The token's {@code sub}, or {@code unauthorized} saying what is wrong (never echoing the token). */
    String verify(String token) {
        JWTClaimsSet claims = claimsSignedByUs(token);
        requireCurrent(claims);
        if (issuer.isPresent() && !issuer.get().equals(claims.getIssuer())) {
            throw unauthorized("the token's issuer is not accepted");
        }
        if (audience.isPresent() && (claims.getAudience() == null || !claims.getAudience().contains(audience.get()))) {
            throw unauthorized("the token is not for this audience");
        }
        return subject(claims);
    }

    /** The claims of a token signed with our algorithm and key, its dates checked to be numbers. */
    private JWTClaimsSet claimsSignedByUs(String token) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            throw unauthorized("the token is not a signed JWT");
        }
        if (!algorithm.equals(jwt.getHeader().getAlgorithm())) {
            throw unauthorized("the token's algorithm must be " + algorithm.getName());
        }
        try {
            if (!jwt.verify(verifier.get())) {
                throw unauthorized("the token's signature is invalid");
            }
        } catch (JOSEException e) {
            throw unauthorized("the token's signature cannot be checked");
        }
        requireNumericDates(jwt);
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw unauthorized("the token's claims are not valid JSON");
        }
    }

    /** Expiry, lifetime and not-before, each within the allowed skew. */
    private void requireCurrent(JWTClaimsSet claims) {
        Date now = Date.from(time.now());
        Date expires = claims.getExpirationTime();
        if (expires == null) {
            throw unauthorized("the token has no 'exp' (expiry)");
        }
        if (now.getTime() - skew.toMillis() >= expires.getTime()) {
            throw unauthorized("the token has expired");
        }
        if (expires.getTime() - now.getTime() > maxLifetime.toMillis() + skew.toMillis()) {
            throw unauthorized("the token's 'exp' is further away than JINGNEI_JWT_MAX_LIFETIME (" + maxLifetime.toMinutes()
                    + " min): mint short-lived tokens");
        }
        if (claims.getNotBeforeTime() != null && now.getTime() + skew.toMillis() < claims.getNotBeforeTime().getTime()) {
            throw unauthorized("the token is not valid yet ('nbf')");
        }
    }

    private static String subject(JWTClaimsSet claims) {
        String subject = claims.getSubject();
        if (!UserIds.valid(subject) || subject.contains("/")) {
            throw unauthorized("the token's 'sub' must be a user id of at most 128 letters, digits or . _ - @ : +");
        }
        if (UserIds.reserved(subject)) {
            throw new JingneiException(ErrorKind.FORBIDDEN, "the token's 'sub' is a reserved account name (admin, platform, *): "
                    + "mint tokens for your own users' ids");
        }
        return subject;
    }

    List<String> secrets() {
        return secrets;
    }

    /**
     * {@code exp}, {@code nbf} and {@code iat} are seconds between 1970 and 9999 when present. Nimbus
     * multiplies them by 1000 into a {@code long}: a huge {@code exp} wrapped around to a date that
     * passed the expiry and lifetime checks, so the raw values are checked before it converts them.
     */
    private static void requireNumericDates(SignedJWT jwt) {
        Map<String, Object> payload = jwt.getPayload().toJSONObject();
        if (payload == null) {
            throw unauthorized("the token's claims are not a JSON object");
        }
        for (String claim : NUMERIC_DATES) {
            Object value = payload.get(claim);
            if (value != null && !numericDate(value)) {
                throw unauthorized("the token's '" + claim + "' must be seconds since 1970 (at most " + MAX_NUMERIC_DATE + ")");
            }
        }
    }

    // visible for tests
    static boolean numericDate(Object value) {
        if (!(value instanceof Number)) {
            return false;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            long seconds = ((Number) value).longValue();
            return seconds >= 0 && seconds <= MAX_NUMERIC_DATE;
        }
        if (value instanceof java.math.BigInteger || value instanceof java.math.BigDecimal) {
            java.math.BigDecimal seconds = new java.math.BigDecimal(value.toString());
            return seconds.signum() >= 0 && seconds.compareTo(java.math.BigDecimal.valueOf(MAX_NUMERIC_DATE)) <= 0;
        }
        double seconds = ((Number) value).doubleValue();
        return seconds >= 0 && seconds <= MAX_NUMERIC_DATE;
    }

    private static JingneiException unauthorized(String why) {
        return new JingneiException(ErrorKind.UNAUTHORIZED, why);
    }

    /** A PEM (or bare base64 DER) SubjectPublicKeyInfo; "\n" written as two characters is accepted too. */
    static PublicKey publicKey(String pem) {
        String base64 = pem.replace("\\n", "\n")
                .replaceAll("-----(BEGIN|END) [A-Z ]*PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("JINGNEI_JWT_PUBLIC_KEY is not a PEM public key");
        }
        for (String type : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
            } catch (Exception notThisType) {
                // try the next key type
            }
        }
        throw new ConfigException("JINGNEI_JWT_PUBLIC_KEY is neither an RSA nor an EC public key (PEM 'BEGIN PUBLIC KEY')");
    }
}
