package io.jingnei.core.llm;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.config.JingneiConfig;
import io.jingnei.core.http.SharedHttpClient;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.util.TimeSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/** Builds the instance's {@link Router} from its settings: upstreams, fallbacks, retries, breakers. */
public final class Routers {
    private Routers() {
    }

    public static Router build(Env env, JingneiConfig config, SharedHttpClient http, TimeSource time, CallLog log,
                               Function<String, byte[]> objectReader) {
        List<Upstream> upstreams = UpstreamsConfig.read(env, new UpstreamsConfig.Defaults(config.responseTimeout, config.maxRetries,
                        config.breakerFailures, config.breakerOpen), time, objectReader,
                config.llmBaseUrl, config.llmApiKey().orElse(null));
        Fallbacks fallbacks = env.get("JINGNEI_FALLBACK").map(Fallbacks::parse).orElseGet(Fallbacks::none);
        for (String model : fallbacks.models()) {
            // A typo in a chain would only show in the incident it was meant for.
            if (upstreams.stream().noneMatch(u -> u.serves(model))) {
                throw new ConfigException("JINGNEI_FALLBACK names '" + model + "', which no upstream serves (their 'models' in "
                        + "JINGNEI_UPSTREAMS)");
            }
        }
        FailurePolicy policy = new FailurePolicy(config.retryBaseDelay, config.retryMaxDelay, config.maxRetryWait,
                () -> ThreadLocalRandom.current().nextDouble());
        Failover failover = new Failover(upstreams, fallbacks, policy, time, config.callDeadline, config.keyCooldown,
                () -> ThreadLocalRandom.current().nextDouble(), log,
                () -> new RetryBudget(config.retryBudgetPercent, config.retryBudgetMin, config.retryBudgetWindow, time));
        return new Router(failover, new UpstreamEndpoint(http, log, time, config.streamIdleTimeout), config.responseTimeout, time);
    }

    /** Every upstream key, for the redactor. */
    public static List<String> secrets(Router router) {
        List<String> keys = new ArrayList<>();
        for (Upstream u : router.upstreams()) {
            for (String key : u.keyValues()) {
                if (key != null) {
                    keys.add(key);
                }
            }
            keys.addAll(u.headers.values());
        }
        return keys;
    }
}
