package io.jingnei.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CorsTest {
    @Test
    void the_sdks_own_headers_pass_the_preflight_and_nothing_else_is_added() {
        String allowed = Cors.allowHeaders("content-type, x-stainless-os, X-Stainless-Retry-Count, x-evil, x-stainless-<script>");

        assertThat(allowed).contains("authorization", "content-type", "x-stainless-os", "x-stainless-retry-count")
                .doesNotContain("x-evil").doesNotContain("<script>");
    }

    @Test
    void the_headers_sdks_read_are_exposed() {
        assertThat(Cors.EXPOSED).contains("x-should-retry", "retry-after-ms", "Retry-After", "x-request-id");
    }
}
