package io.jingnei.deployment;

import java.util.Map;
import java.util.Set;

import static io.jingnei.deployment.AllowedKeys.keys;

/**
 * Property names and enums of Funcraft's template validator (alibaba/funcraft,
 * src/lib/validate/schema at 0f3b502, its last commit); names only. Its function schema has
 * additionalProperties false, so an unknown key stops `fun deploy`.
 */
final class FuncraftSchema {
    private static final AllowedKeys HOOK = keys("Handler", "Timeout");

    static final AllowedKeys TEMPLATE = keys("ROSTemplateFormatVersion", "Transform", "Parameters", "Resources");

    static final AllowedKeys SERVICE_PROPERTIES = keys("Description", "Role", "Policies", "InternetAccess", "VpcConfig",
            "LogConfig", "NasConfig", "TracingConfig");

    /** Initializer is top-level here; InstanceLifecycleConfig has PreFreeze and PreStop only. */
    static final AllowedKeys FUNCTION = keys("Type", "Events").with("Properties", keys("Handler", "Initializer", "Runtime",
            "CodeUri", "Description", "Timeout", "InitializationTimeout", "EnvironmentVariables", "InstanceType",
            "AsyncConfiguration", "Layers", "MemorySize", "CAPort", "InstanceConcurrency")
            .with("InstanceLifecycleConfig", keys().with("PreFreeze", HOOK).with("PreStop", HOOK)));

    /** An event's Properties by its Type, for the event types this project uses. */
    static final Map<String, AllowedKeys> EVENT_PROPERTIES = Map.of(
            "HTTP", keys("AuthType", "Methods", "InvocationRole", "Qualifier"),
            "OSS", keys("InvocationRole", "Events", "BucketName", "Qualifier")
                    .with("Filter", keys().with("Key", keys("Prefix", "Suffix"))),
            "Timer", keys("InvocationRole", "Payload", "CronExpression", "Enable", "Qualifier"));

    static final Set<String> RUNTIMES = Set.of("nodejs6", "nodejs8", "nodejs10", "nodejs12", "python2.7", "python3", "java8",
            "java11", "php7.2", "dotnetcore2.1", "custom", "custom-container");

    static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "DELETE", "HEAD");

    static final Set<String> PARAMETER_TYPES = Set.of("String", "Number", "CommaDelimitedList", "Json", "Boolean");

    /** src/lib/fc.js: `fun deploy` refuses a code package over 50 MiB; `fun package` (code in OSS) allows FUN_OSS_UPLOAD_CODE_SIZE, 100 MiB by default. */
    static final long DIRECT_UPLOAD_MAX_BYTES = 52_428_800L;
    static final long PACKAGED_UPLOAD_MAX_BYTES = 104_857_600L;

    private FuncraftSchema() {
    }
}
