package io.jingnei.web;

import io.jingnei.core.architecture.AdapterRules;
import org.junit.jupiter.api.Test;

/** This adapter only translates: the rule is the core's, shared with the other adapters. */
class AppAdapterLayersTest {

    @Test
    void the_adapter_uses_no_policy_of_the_core() {
        AdapterRules.adaptersHoldNoPolicy().check(AdapterRules.adapterClasses("io.jingnei.web"));
    }
}
