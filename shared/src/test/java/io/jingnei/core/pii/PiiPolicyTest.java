package io.jingnei.core.pii;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PiiPolicyTest {

    private static PiiPolicy policy(Map<String, String> settings) {
        return PiiPolicy.from(Env.of(settings));
    }

    @Test
    void masks_every_built_in_kind_by_default() {
        PiiPolicy policy = policy(Map.of());

        assertThat(policy.mode()).isEqualTo(PiiMode.MASK);
        assertThat(policy.find("13812345678 010-12345678 110105199003071239 6222021234567894 a@example.com"
                + " 10.0.0.1 E12345678 京A12345"))
                .extracting(PiiMatch::kind)
                .containsExactly("phone", "landline", "id", "card", "email", "ip", "passport", "plate");
    }

    @Test
    void block_mode_finds_kinds_and_positions_without_exposing_values() {
        PiiPolicy policy = policy(Map.of("JINGNEI_PII", "block"));

        List<PiiMatch> found = policy.find("手机13812345678，身份证110105199003071239");

        assertThat(policy.mode()).isEqualTo(PiiMode.BLOCK);
        assertThat(found).extracting(PiiMatch::kind).containsExactly("phone", "id");
        assertThat(found.get(0).start()).isEqualTo(2);
        assertThat(found.get(0).end()).isEqualTo(13);
        assertThat(found.toString()).contains("phone", "id").doesNotContain("138", "1101");
    }

    @Test
    void off_mode_finds_nothing_and_sessions_pass_text_through() {
        PiiPolicy policy = policy(Map.of("JINGNEI_PII", "OFF"));
        PiiSession session = policy.newSession();

        assertThat(policy.mode()).isEqualTo(PiiMode.OFF);
        assertThat(policy.find("13812345678")).isEmpty();
        assertThat(session.mask("13812345678")).isEqualTo("13812345678");
        assertThat(session.masked()).isFalse();
    }

    @Test
    void kinds_restricts_the_built_in_kinds() {
        PiiPolicy policy = policy(Map.of("JINGNEI_PII_KINDS", " phone, ID "));

        String masked = policy.newSession().mask("13812345678 110105199003071239 a@example.com 6222021234567894");

        assertThat(masked).isEqualTo("[手机号1] [身份证1] a@example.com 6222021234567894");
    }

    @Test
    void an_unknown_kind_fails_with_the_list_of_valid_kinds() {
        assertThatThrownBy(() -> policy(Map.of("JINGNEI_PII_KINDS", "phone,wechat")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("JINGNEI_PII_KINDS")
                .hasMessageContaining("wechat")
                .hasMessageContaining("email, id, phone, landline, card, ip, passport, plate");
    }

    @Test
    void an_unknown_mode_fails_naming_the_variable() {
        assertThatThrownBy(() -> policy(Map.of("JINGNEI_PII", "redact")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("JINGNEI_PII")
                .hasMessageContaining("mask, block, off");
    }

    @Test
    void a_custom_pattern_gets_its_name_as_placeholder_and_count() {
        PiiPolicy policy = policy(Map.of("JINGNEI_PII_PATTERNS", "employee=EMP\\d{4,6}, contract=HT-\\d{3}"));
        PiiSession session = policy.newSession();

        String masked = session.mask("工号EMP12345，合同HT-001，EMP123456789 不是工号");

        assertThat(masked).isEqualTo("工号[employee1]，合同[contract1]，EMP123456789 不是工号");
        assertThat(session.counts()).containsEntry("employee", 1).containsEntry("contract", 1);
        assertThat(session.unmask("[employee1] / [ contract１ ]")).isEqualTo("EMP12345 / HT-001");
    }

    @Test
    void a_bad_regex_fails_naming_the_variable_and_the_pattern() {
        assertThatThrownBy(() -> policy(Map.of("JINGNEI_PII_PATTERNS", "ok=A\\d+,broken=(unclosed")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("JINGNEI_PII_PATTERNS")
                .hasMessageContaining("broken");
    }

    @Test
    void a_regex_that_only_balances_with_the_delimiting_wrapper_is_still_refused() {
        assertThatThrownBy(() -> policy(Map.of("JINGNEI_PII_PATTERNS", "sneaky=A)|(B")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sneaky");
    }

    @Test
    void pattern_names_that_would_make_placeholders_ambiguous_are_refused() {
        assertThatThrownBy(() -> policy(Map.of("JINGNEI_PII_PATTERNS", "emp2=E\\d+")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JINGNEI_PII_PATTERNS");
        assertThatThrownBy(() -> policy(Map.of("JINGNEI_PII_PATTERNS", "phone=P\\d+")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("phone");
        assertThatThrownBy(() -> policy(Map.of("JINGNEI_PII_PATTERNS", "a=X\\d+,a=Y\\d+")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'a'");
        assertThatThrownBy(() -> policy(Map.of("JINGNEI_PII_PATTERNS", "no-equals-sign")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("name=regex");
    }

    @Test
    void settings_are_checked_even_when_off() {
        assertThatThrownBy(() -> policy(Map.of("JINGNEI_PII", "off", "JINGNEI_PII_KINDS", "fax")))
                .isInstanceOf(ConfigException.class);
    }
}
