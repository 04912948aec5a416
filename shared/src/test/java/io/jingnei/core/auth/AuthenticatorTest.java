package io.jingnei.core.auth;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Access decisions as a table: settings and presented credential in, caller or refusal out. */
class AuthenticatorTest {
    private static final String CLIENT = "ck-alice-0123456789";
    private static final String ADMIN = "ak-ops-9876543210";

    private static Env env(String spec) {
        Map<String, String> values = new HashMap<>();
        for (String pair : spec.split(";")) {
            if (!pair.isBlank()) {
                String[] kv = pair.split("=", 2);
                values.put(kv[0].trim(), kv[1].trim());
            }
        }
        return Env.of(values);
    }

    private static RequestHeaders bearer(String presented) {
        return presented.isEmpty() ? RequestHeaders.NONE : RequestHeaders.of(Map.of("Authorization", "Bearer " + presented));
    }

    @ParameterizedTest(name = "[{0}] presenting ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', value = {
            // settings                                                    | presented               | outcome
            "                                                              |                         | anonymous",
            "FC_FUNCTION_NAME=chat                                         |                         | unauthorized",
            "FC_REGION=cn-shanghai                                         |                         | unauthorized",
            "SCF_FUNCTIONNAME=jingnei                                      |                         | unauthorized",
            "TENCENTCLOUD_RUNENV=SCF                                       |                         | unauthorized",
            "FC_FUNCTION_NAME=chat;JINGNEI_AUTH=none                       |                         | anonymous",
            "JINGNEI_CLIENT_KEYS=" + CLIENT + ":alice                      |                         | unauthorized",
            "JINGNEI_CLIENT_KEYS=" + CLIENT + ":alice                      | " + CLIENT + "          | alice",
            "JINGNEI_CLIENT_KEYS=" + CLIENT + ":alice                      | ck-alice-0123456788     | unauthorized",
            "JINGNEI_CLIENT_KEYS=" + CLIENT + ":alice;JINGNEI_AUTH=none    |                         | anonymous",
            "JINGNEI_CLIENT_KEYS=" + CLIENT + ":alice;JINGNEI_AUTH=none    | wrong-key-000000        | unauthorized",
            "JINGNEI_ADMIN_KEYS=" + ADMIN + ";JINGNEI_CLIENT_KEYS=" + CLIENT + ":alice | " + ADMIN + " | admin",
            "                                                              | some-unknown-token      | anonymous",
    })
    void decides_who_is_calling(String settings, String presented, String outcome) {
        Authenticator auth = Authenticator.from(env(settings == null ? "" : settings));
        RequestHeaders headers = bearer(presented == null ? "" : presented);
        if (outcome.equals("unauthorized")) {
            assertThatThrownBy(() -> auth.authenticate(headers)).isInstanceOf(JingneiException.class)
                    .satisfies(e -> assertThat(((JingneiException) e).kind()).isEqualTo(ErrorKind.UNAUTHORIZED));
            return;
        }
        Caller caller = auth.authenticate(headers);
        assertThat(caller.userId == null ? "anonymous" : caller.userId).isEqualTo(outcome);
    }

    @Test
    void on_a_platform_without_credentials_the_refusal_names_every_way_out() {
        Authenticator auth = Authenticator.from(env("FC_FUNCTION_NAME=chat"));

        assertThatThrownBy(() -> auth.authenticate(RequestHeaders.NONE))
                .hasMessageContaining("JINGNEI_CLIENT_KEYS").hasMessageContaining("JINGNEI_JWT_SECRET").hasMessageContaining("JINGNEI_AUTH=none");
        assertThat(auth.startupWarning()).hasValueSatisfying(w -> assertThat(w).contains("JINGNEI_CLIENT_KEYS"));
    }

    @Test
    void x_api_key_works_like_a_bearer_key() {
        Authenticator auth = Authenticator.from(env("JINGNEI_CLIENT_KEYS=" + CLIENT + ":alice"));
        assertThat(auth.authenticate(RequestHeaders.of(Map.of("x-api-key", CLIENT))).userId).isEqualTo("alice");
    }

    @Test
    void admin_functions_want_an_admin_key_and_nothing_else() {
        Authenticator none = Authenticator.from(env("JINGNEI_CLIENT_KEYS=" + CLIENT + ":alice"));
        assertThatThrownBy(() -> none.requireAdmin(bearer(CLIENT))).hasMessageContaining("JINGNEI_ADMIN_KEYS")
                .satisfies(e -> assertThat(((JingneiException) e).kind()).isEqualTo(ErrorKind.FORBIDDEN));

        Authenticator auth = Authenticator.from(env("JINGNEI_ADMIN_KEYS=" + ADMIN + ";JINGNEI_CLIENT_KEYS=" + CLIENT + ":alice"));
        assertThat(auth.requireAdmin(bearer(ADMIN)).admin()).isTrue();
        assertThatThrownBy(() -> auth.requireAdmin(bearer(CLIENT)))
                .satisfies(e -> assertThat(((JingneiException) e).kind()).isEqualTo(ErrorKind.FORBIDDEN));
        assertThatThrownBy(() -> auth.requireAdmin(RequestHeaders.NONE))
                .satisfies(e -> assertThat(((JingneiException) e).kind()).isEqualTo(ErrorKind.UNAUTHORIZED));
    }

    @Test
    void a_body_user_only_labels_an_authenticated_user_and_never_replaces_it() {
        Caller alice = Caller.user(Caller.Via.CLIENT_KEY, "alice");
        assertThat(alice.effectiveUser(null)).isEqualTo("alice");
        assertThat(alice.effectiveUser("alice")).isEqualTo("alice");
        assertThat(alice.effectiveUser("visitor-42")).isEqualTo("alice/visitor-42");
        assertThat(alice.effectiveUser("alice/visitor-42")).isEqualTo("alice/visitor-42");
        assertThat(alice.effectiveUser("bob")).isEqualTo("alice/bob");
        assertThat(Caller.anonymous().effectiveUser("u-1")).isEqualTo("u-1");
        assertThatThrownBy(() -> alice.effectiveUser("x".repeat(900_000))).hasMessageContaining("128");
        assertThatThrownBy(() -> alice.effectiveUser("a b")).isInstanceOf(JingneiException.class);
        assertThatThrownBy(() -> alice.effectiveUser("a\nb")).isInstanceOf(JingneiException.class);
    }

    @Test
    void client_key_settings_never_echo_a_key() {
        assertThatThrownBy(() -> Authenticator.from(env("JINGNEI_CLIENT_KEYS=ck-secret-only-value")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JINGNEI_CLIENT_KEYS").hasMessageNotContaining("ck-secret-only-value");
        assertThatThrownBy(() -> Authenticator.from(env("JINGNEI_CLIENT_KEYS=short-key:alice")))
                .hasMessageContaining("at least 12").hasMessageNotContaining("short-key");
        assertThatThrownBy(() -> Authenticator.from(env("JINGNEI_ADMIN_KEYS=" + ADMIN + ",admin1")))
                .hasMessageContaining("JINGNEI_ADMIN_KEYS entry 2").hasMessageContaining("at least 12").hasMessageNotContaining("admin1");
    }

    @ParameterizedTest(name = "client key user ''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
            "admin    | refused",
            "Admin    | refused",
            "PLATFORM | refused",
            "platform | refused",
            "alice    | accepted",
            "admins   | accepted",
            "platform-team | accepted",
    })
    void a_client_key_cannot_stand_for_a_reserved_account(String user, String outcome) {
        Env settings = env("JINGNEI_CLIENT_KEYS=" + CLIENT + ":" + user);
        if (outcome.equals("refused")) {
            assertThatThrownBy(() -> Authenticator.from(settings)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("reserved").hasMessageNotContaining(CLIENT);
            return;
        }
        assertThat(Authenticator.from(settings).authenticate(bearer(CLIENT)).userId).isEqualTo(user);
    }

    @ParameterizedTest(name = "[{0}] -> listens on {1}")
    @CsvSource(delimiter = '|', value = {
            // settings                                              | host
            "                                                        | 127.0.0.1",
            "JINGNEI_ADMIN_KEYS=" + ADMIN + "                        | 127.0.0.1",
            "JINGNEI_AUTH=none                                       | 0.0.0.0",
            "JINGNEI_HTTP_HOST=0.0.0.0                               | 0.0.0.0",
            "JINGNEI_HTTP_HOST=192.168.1.20                          | 192.168.1.20",
            "JINGNEI_CLIENT_KEYS=" + CLIENT + ":alice                | 0.0.0.0",
            "JINGNEI_JWT_SECRET=a-very-long-shared-secret-of-32-bytes!! | 0.0.0.0",
            "FC_FUNCTION_NAME=chat                                   | 0.0.0.0",
            "FC_CUSTOM_LISTEN_PORT=9000                              | 0.0.0.0",
            "SCF_FUNCTIONNAME=jingnei                                | 0.0.0.0",
            "TENCENTCLOUD_RUNENV=SCF                                 | 0.0.0.0",
    })
    void an_instance_open_only_for_want_of_settings_listens_on_loopback(String settings, String host) {
        Env env = env(settings == null ? "" : settings);

        assertThat(ListenHost.choose(env)).isEqualTo(host);
        assertThat(ListenHost.startupNote(env, host).filter(w -> w.contains("on 127.0.0.1 only")).isPresent())
                .as("the start-up line says why").isEqualTo(host.equals("127.0.0.1"));
    }
}
