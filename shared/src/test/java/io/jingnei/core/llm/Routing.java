package io.jingnei.core.llm;

import io.jingnei.core.config.Env;
import io.jingnei.core.config.JingneiConfig;
import io.jingnei.core.http.SharedHttpClient;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.log.Redactor;
import io.jingnei.core.util.TimeSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds a router from settings for tests, with fixed jitter (0.5) so backoff waits are exact. */
final class Routing {
    static final List<String> LOG = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Routing() {
    }

    /** Pairs of name, value; null values are left out. */
    static Env env(String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                values.put(pairs[i], pairs[i + 1]);
            }
        }
        return Env.of(values);
    }

    static Router router(SharedHttpClient http, TimeSource time, Env env) {
        JingneiConfig config = JingneiConfig.from(env);
        CallLog log = new CallLog(LOG::add);
        List<Upstream> upstreams = UpstreamsConfig.read(env, new UpstreamsConfig.Defaults(config.responseTimeout, config.maxRetries,
                config.breakerFailures, config.breakerOpen), time, uri -> new byte[0], config.llmBaseUrl, config.llmApiKey().orElse(null));
        Fallbacks fallbacks = env.get("JINGNEI_FALLBACK").map(Fallbacks::parse).orElseGet(Fallbacks::none);
        FailurePolicy policy = new FailurePolicy(config.retryBaseDelay, config.retryMaxDelay, config.maxRetryWait, () -> 0.5);
        Failover failover = new Failover(upstreams, fallbacks, policy, time, config.callDeadline, config.keyCooldown, () -> 0.0, log,
                () -> new RetryBudget(config.retryBudgetPercent, config.retryBudgetMin, config.retryBudgetWindow, time));
        Router router = new Router(failover, new UpstreamEndpoint(http, log, time, config.streamIdleTimeout), config.responseTimeout, time);
        List<String> secrets = new ArrayList<>(Routers.secrets(router));
        log.redactWith(Redactor.of(secrets));
        return router;
    }
}
