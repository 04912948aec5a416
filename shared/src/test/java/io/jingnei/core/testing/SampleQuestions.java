package io.jingnei.core.testing;

/** A faq-batch input shared by the core and app tests. */
public final class SampleQuestions {
    /** 12 lines: 9 distinct questions (7 in scope, 2 not), 3 repeats that differ only in spacing and full/half width. */
    public static final String TWELVE_WITH_THREE_REPEATS = String.join("\n",
            "{\"id\":\"q1\",\"question\":\"退货要多久能到账？\",\"user_id\":\"u-1\"}",
            "{\"id\":\"q2\",\"question\":\"怎么查快递到哪了?\"}",
            "{\"id\":\"q3\",\"question\":\"发票怎么开\"}",
            "{\"id\":\"q4\",\"question\":\"忘记密码了怎么办\"}",
            "{\"id\":\"q5\",\"question\":\"收到的杯子碎了怎么办\"}",
            "{\"id\":\"q6\",\"question\":\"可以用花呗吗\"}",
            "{\"id\":\"q7\",\"question\":\"双十一什么时候发货\"}",
            "{\"id\":\"q8\",\"question\":\"推荐一部好看的电影\"}",
            "{\"id\":\"q9\",\"question\":\"帮我写一首诗\"}",
            "{\"id\":\"q10\",\"question\":\"退货要多久能到账?\"}",
            "{\"id\":\"q11\",\"question\":\" 发票 怎么开 \"}",
            "{\"id\":\"q12\",\"question\":\"怎么查快递到哪了？\"}");

    private SampleQuestions() {
    }
}
