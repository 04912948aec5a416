package io.jingnei.web;

import io.jingnei.core.JingneiInstance;
import io.jingnei.core.config.Env;
import io.jingnei.core.entry.FunctionCalls;
import io.jingnei.core.entry.OpenAiSurface;
import io.jingnei.core.entry.ResponsesSurface;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.util.TimeSource;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Boots the core once per instance, at start-up rather than on the first request, so a bad
 * setting stops the instance with its name instead of failing calls one by one.
 */
@Singleton
public class InstanceProducer {

    @Produces
    @Singleton
    @Startup
    JingneiInstance instance() {
        return JingneiInstance.boot(configEnv(), TimeSource.system(), CallLog.stdout(), PlatformCredentials::latest);
    }

    @Produces
    @Singleton
    FunctionCalls functionCalls(JingneiInstance instance) {
        return new FunctionCalls(instance);
    }

    @Produces
    @Singleton
    OpenAiSurface openAiSurface(JingneiInstance instance) {
        return new OpenAiSurface(instance, configEnv());
    }

    @Produces
    @Singleton
    ResponsesSurface responsesSurface(JingneiInstance instance, OpenAiSurface chat) {
        return new ResponsesSurface(instance, chat);
    }

    void close(@Disposes JingneiInstance instance) {
        instance.close();
    }

    /** MicroProfile Config sees the environment, application.properties and test overrides alike. */
    static Env configEnv() {
        return name -> ConfigProvider.getConfig().getOptionalValue(name, String.class);
    }
}
