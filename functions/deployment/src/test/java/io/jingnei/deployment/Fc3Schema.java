package io.jingnei.deployment;

import java.util.Map;
import java.util.Set;

import static io.jingnei.deployment.AllowedKeys.keys;

/**
 * Property names and enums of the Serverless Devs fc3 component, read from its JSON schema
 * (devsapp/fc3, src/schema.json at 4ca1c1b, 2026-05-28); names only. fc3 validates against that
 * schema only in debug output and its API client drops unknown properties, so a misspelt or
 * FC 2.0-era key (initializer, initializationTimeout) deploys without a word and without effect.
 */
final class Fc3Schema {
    private static final AllowedKeys HOOK = keys("command", "handler", "timeout");

    static final AllowedKeys FUNCTION = keys("annotations", "asyncInvokeConfig", "code", "concurrencyConfig", "cpu",
            "customContainerConfig", "customDNS", "description", "diskSize", "enableLongLiving", "endpoint",
            "environmentVariables", "functionName", "gpuConfig", "handler", "instanceConcurrency", "instanceIsolationMode",
            "internetAccess", "layers", "memorySize", "nasConfig", "ossMountConfig", "provisionConfig", "region",
            "resourceGroupId", "role", "runtime", "scalingConfig", "sessionAffinity", "sessionAffinityConfig", "supplement",
            "tags", "timeout", "tracingConfig", "vpcBinding", "vpcConfig")
            .with("instanceLifecycleConfig", keys().with("initializer", HOOK).with("preStop", HOOK))
            .with("customRuntimeConfig", keys("args", "command", "port").with("healthCheckConfig", keys("failureThreshold",
                    "httpGetUrl", "initialDelaySeconds", "periodSeconds", "successThreshold", "timeoutSeconds")))
            // either the string "auto" or this object
            .with("logConfig", keys("enableInstanceMetrics", "enableLlmMetrics", "enableRequestMetrics", "logBeginRule",
                    "logstore", "project"))
            // triggerConfig depends on triggerType: TRIGGER_CONFIG
            .with("triggers", keys("description", "invocationRole", "qualifier", "sourceArn", "triggerConfig", "triggerName",
                    "triggerType"));

    /** triggerConfig by triggerType, for the trigger types this project uses. */
    static final Map<String, AllowedKeys> TRIGGER_CONFIG = Map.of(
            "http", keys("authConfig", "authType", "disableURLInternet", "methods"),
            "oss", keys("events").with("filter", keys().with("key", keys("prefix", "suffix"))),
            "timer", keys("cronExpression", "enable", "payload"));

    static final Set<String> RUNTIMES = Set.of("custom", "custom-container", "micro-sandbox", "custom.debian10", "custom.debian11",
            "custom.debian12", "dotnetcore2.1", "dotnetcore3.1", "go1", "java11", "java8", "nodejs10", "nodejs12", "nodejs14",
            "nodejs16", "nodejs18", "nodejs20", "nodejs8", "php7.2", "python2.7", "python3", "python3.10", "python3.12", "python3.9");

    static final Set<String> HTTP_METHODS = Set.of("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT");

    /** FC 3.0 limits: an Initializer runs at most 300 s, a PreStop at most 90 s. */
    static final int INITIALIZER_MAX_SECONDS = 300;
    static final int PRE_STOP_MAX_SECONDS = 90;

    private Fc3Schema() {
    }
}
