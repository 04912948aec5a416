package io.jingnei.core.config;

/**
 * Where this instance runs, from the system variables each platform documents: FC sets
 * {@code FC_FUNCTION_NAME} and {@code FC_REGION} (custom runtimes also {@code FC_CUSTOM_LISTEN_PORT});
 * SCF sets {@code TENCENTCLOUD_RUNENV=SCF} and {@code _SCF_SERVER_PORT} in every runtime, and
 * {@code SCF_FUNCTIONNAME}. Anything else is a developer's machine or a private host.
 */
public enum Platform {
    FC, SCF, LOCAL;

    public static Platform detect(Env env) {
        if (env.get("FC_FUNCTION_NAME").isPresent() || env.get("FC_REGION").isPresent()
                || env.get("FC_CUSTOM_LISTEN_PORT").isPresent()) {
            return FC;
        }
        if (env.get("TENCENTCLOUD_RUNENV").isPresent() || env.get("SCF_FUNCTIONNAME").isPresent()
                || env.get("_SCF_SERVER_PORT").isPresent()) {
            return SCF;
        }
        return LOCAL;
    }

    public boolean cloud() {
        return this != LOCAL;
    }
}
