package io.jingnei.web;

import io.jingnei.core.config.Platform;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Control paths off FC: on SCF or a private host any client can send x-fc-control-path, so nothing acts on it. */
class AccessGateTest {

    @Test
    void on_fc_only_the_matching_header_opens_a_control_path() {
        assertThat(AccessGate.sentByFc(Platform.FC, "/invoke", "/invoke")).isTrue();
        assertThat(AccessGate.sentByFc(Platform.FC, "/initialize", "/initialize")).isTrue();
        assertThat(AccessGate.sentByFc(Platform.FC, "/invoke", "/http-invoke")).isFalse();
        assertThat(AccessGate.sentByFc(Platform.FC, "/invoke", null)).isFalse();
        assertThat(AccessGate.sentByFc(Platform.FC, "/initialize", "/invoke")).isFalse();
        assertThat(AccessGate.sentByFc(Platform.FC, "/pre-stop", null)).isTrue();
        assertThat(AccessGate.sentByFc(Platform.FC, "/pre-stop", "/http-invoke")).isFalse();
    }

    @Test
    void on_scf_or_a_private_host_a_forged_header_opens_nothing() {
        for (Platform elsewhere : new Platform[] {Platform.SCF, Platform.LOCAL}) {
            assertThat(AccessGate.sentByFc(elsewhere, "/invoke", "/invoke")).as(elsewhere.name()).isFalse();
            assertThat(AccessGate.sentByFc(elsewhere, "/initialize", "/initialize")).as(elsewhere.name()).isFalse();
            assertThat(AccessGate.sentByFc(elsewhere, "/pre-stop", "/pre-stop")).as(elsewhere.name()).isFalse();
        }
    }
}
