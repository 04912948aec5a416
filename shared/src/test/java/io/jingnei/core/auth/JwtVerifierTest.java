package io.jingnei.core.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.testing.FakeTime;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** End-user tokens: each forged, expired or misdirected token is refused; a good one names its user. */
class JwtVerifierTest {
    private static final String SECRET = "a-very-long-shared-secret-of-32-bytes!!";
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final FakeTime TIME = new FakeTime(NOW);

    private static JwtVerifier hs256() {
        return JwtVerifier.from(Env.of(Map.of("JINGNEI_JWT_SECRET", SECRET, "JINGNEI_JWT_AUDIENCE", "jingnei",
                "JINGNEI_JWT_ISSUER", "https://shop.example.cn")), TIME).orElseThrow();
    }

    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("visitor-42").issuer("https://shop.example.cn").audience("jingnei")
                .expirationTime(Date.from(NOW.plusSeconds(300)));
    }

    static String signed(JWTClaimsSet claims, String secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static void refused(JwtVerifier verifier, String token, String why) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(JingneiException.class).hasMessageContaining(why)
                .satisfies(e -> assertThat(((JingneiException) e).kind()).isEqualTo(ErrorKind.UNAUTHORIZED));
    }

    @Test
    void a_good_token_names_its_user() throws Exception {
        assertThat(hs256().verify(signed(claims().build(), SECRET))).isEqualTo("visitor-42");
    }

    @Test
    void a_forged_expired_early_or_misdirected_token_is_refused() throws Exception {
        JwtVerifier verifier = hs256();
        refused(verifier, signed(claims().build(), "another-secret-that-is-32-bytes-long!!"), "signature");
        refused(verifier, signed(claims().expirationTime(Date.from(NOW.minusSeconds(120))).build(), SECRET), "expired");
        refused(verifier, signed(claims().expirationTime(null).build(), SECRET), "'exp'");
        refused(verifier, signed(claims().notBeforeTime(Date.from(NOW.plusSeconds(600))).build(), SECRET), "not valid yet");
        refused(verifier, signed(claims().audience("another-app").build(), SECRET), "audience");
        refused(verifier, signed(claims().issuer("https://evil.example").build(), SECRET), "issuer");
        refused(verifier, signed(claims().subject("a b").build(), SECRET), "'sub'");
        refused(verifier, "not.a.jwt", "not a signed JWT");
        refused(verifier, signed(claims().expirationTime(Date.from(NOW.plusSeconds(366L * 24 * 3600))).build(), SECRET),
                "JINGNEI_JWT_MAX_LIFETIME");
    }

    @Test
    void a_p384_key_is_refused_at_start_up_rather_than_failing_every_token() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        String pem = Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded());

        assertThatThrownBy(() -> JwtVerifier.from(Env.of(Map.of("JINGNEI_JWT_PUBLIC_KEY", pem)), TIME))
                .isInstanceOf(ConfigException.class).hasMessageContaining("P-256");
    }

    @Test
    void a_token_within_the_clock_skew_is_accepted() throws Exception {
        assertThat(hs256().verify(signed(claims().expirationTime(Date.from(NOW.minusSeconds(30))).build(), SECRET))).isEqualTo("visitor-42");
    }

    @Test
    void alg_none_is_refused() throws Exception {
        String header = base64url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = base64url(claims().build().toString());
        refused(hs256(), header + "." + payload + ".", "not a signed JWT");
    }

    @Test
    void an_hs256_token_signed_with_the_public_key_is_refused_by_an_rs256_verifier() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----";
        JwtVerifier rs256 = JwtVerifier.from(Env.of(Map.of("JINGNEI_JWT_PUBLIC_KEY", pem)), TIME).orElseThrow();

        SignedJWT good = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims().build());
        good.sign(new RSASSASigner(pair.getPrivate()));
        assertThat(rs256.verify(good.serialize())).isEqualTo("visitor-42");

        // The classic confusion attack: HMAC-sign with the (public) key bytes, hoping for an HS256 verify.
        refused(rs256, signed(claims().build(), new String(pair.getPublic().getEncoded(), StandardCharsets.ISO_8859_1)), "algorithm");
    }

    @Test
    void es256_keys_verify_es256_tokens() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        String pem = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
        JwtVerifier es256 = JwtVerifier.from(Env.of(Map.of("JINGNEI_JWT_PUBLIC_KEY", pem)), TIME).orElseThrow();

        SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claims().build());
        token.sign(new ECDSASigner((ECPrivateKey) pair.getPrivate()));

        assertThat(es256.verify(token.serialize())).isEqualTo("visitor-42");
    }

    @Test
    void a_short_secret_or_a_bad_key_is_a_start_up_error() {
        assertThatThrownBy(() -> JwtVerifier.from(Env.of(Map.of("JINGNEI_JWT_SECRET", "short")), TIME))
                .isInstanceOf(ConfigException.class).hasMessageContaining("32 bytes").hasMessageNotContaining("short");
        assertThatThrownBy(() -> JwtVerifier.from(Env.of(Map.of("JINGNEI_JWT_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")), TIME))
                .isInstanceOf(ConfigException.class);
    }

    private static String base64url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_token_for_a_reserved_account_is_forbidden() throws Exception {
        JwtVerifier verifier = hs256();
        for (String reserved : new String[] {"admin", "platform", "Admin"}) {
            assertThatThrownBy(() -> verifier.verify(signed(claims().subject(reserved).build(), SECRET)))
                    .isInstanceOf(JingneiException.class).hasMessageContaining("reserved")
                    .satisfies(e -> assertThat(((JingneiException) e).kind()).isEqualTo(ErrorKind.FORBIDDEN));
        }
        refused(verifier, signed(claims().subject("*").build(), SECRET), "'sub'");
        assertThat(verifier.verify(signed(claims().subject("admin-helper").build(), SECRET))).isEqualTo("admin-helper");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}: {1} ({2})")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            // claim | raw JSON value            | why the value is refused
            "exp     | 18446744073709552         | wraps around when multiplied by 1000",
            "exp     | 9223372036854775807       | Long.MAX_VALUE",
            "exp     | 1e300                     | a double beyond any date",
            "exp     | -1                        | before 1970",
            "exp     | 253402300800              | after 9999",
            "exp     | \"1790000000\"            | a string",
            "nbf     | 18446744073709552         | wraps around",
            "iat     | 99999999999999999999999   | beyond a long",
            "iat     | -5                        | before 1970",
    })
    void out_of_range_numeric_dates_are_refused(String claim, String raw, String why) throws Exception {
        String exp = claim.equals("exp") ? raw : String.valueOf(NOW.getEpochSecond() + 300);
        String payload = "{\"sub\":\"visitor-42\",\"iss\":\"https://shop.example.cn\",\"aud\":\"jingnei\",\"exp\":" + exp
                + (claim.equals("exp") ? "" : ",\"" + claim + "\":" + raw) + "}";

        refused(hs256(), signedRaw(payload), "'" + claim + "'");
    }

    /** A token whose payload is exactly this JSON: the claims builder cannot write the values an attacker can. */
    private static String signedRaw(String payload) throws Exception {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build();
        String signingInput = header.toBase64URL() + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)).sign(header, signingInput.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void dates_within_range_pass_the_numeric_check() {
        assertThat(JwtVerifier.numericDate(NOW.getEpochSecond())).isTrue();
        assertThat(JwtVerifier.numericDate(0L)).isTrue();
        assertThat(JwtVerifier.numericDate(1.79e9)).isTrue();
        assertThat(JwtVerifier.numericDate(JwtVerifier.MAX_NUMERIC_DATE)).isTrue();
        assertThat(JwtVerifier.numericDate(Double.NaN)).isFalse();
        assertThat(JwtVerifier.numericDate(new java.math.BigInteger("18446744073709551616"))).isFalse();
    }
}
