package io.jingnei.core.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.config.Env;
import io.jingnei.core.entry.FunctionCalls;
import io.jingnei.core.entry.Functions;
import io.jingnei.core.entry.Reply;

import java.util.concurrent.TimeUnit;

/**
 * One function instance running one faq-batch in its own JVM, as FC's java11 runtime runs the
 * faq-batch handler: boot from the environment, take the direct event {@code {"input": ...}},
 * print the JSON log and then the reply as the last line, exit 0 on 200. Tests kill it with SIGKILL.
 */
public final class FaqBatchProcess {
    static final String REPLY_PREFIX = "faq-batch reply: ";

    private FaqBatchProcess() {
    }

    public static void main(String[] args) throws Exception {
        String event = new ObjectMapper().createObjectNode().put("input", args[0]).toString();
        try (JingneiInstance instance = JingneiInstance.boot(Env.system())) {
            Reply reply = Functions.FaqBatch.SPEC.payload(new FunctionCalls(instance), event, "faq-batch-process").get(5, TimeUnit.MINUTES);
            System.out.println(REPLY_PREFIX + new ObjectMapper().writeValueAsString(reply.body));
            System.out.flush();
            System.exit(reply.status == 200 ? 0 : 1);
        }
    }
}
