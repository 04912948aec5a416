package io.jingnei.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The FC bill for a million chat calls that each wait 2 s on the upstream. FC 3.0 bills CU:
 * active vCPU-seconds x 1, memory GB-seconds x 0.15, 75 CU per 10,000 invocations, at USD 0.000020
 * per CU (list price of the first monthly tier at the time of writing; check your region and
 * discounts). An instance is active, and billed, while it has a request in flight, even one that
 * only waits for the LLM. One request per instance pays that wait once per call; an instance that
 * holds c requests at once shares it c ways.
 */
final class CostModel {
    static final double USD_PER_CU = 0.000020;
    static final double CU_PER_VCPU_SECOND = 1.0;
    static final double CU_PER_GB_SECOND = 0.15;
    static final double CU_PER_INVOCATION = 75.0 / 10_000;

    static double usdPerMillion(double vcpu, double memoryGb, double secondsPerCall, double concurrency) {
        double cuPerCall = (vcpu * CU_PER_VCPU_SECOND + memoryGb * CU_PER_GB_SECOND) * secondsPerCall / concurrency + CU_PER_INVOCATION;
        return cuPerCall * USD_PER_CU * 1_000_000;
    }

    void run(Report report, double jingneiAddedMs, double jingneiRssMb) throws Exception {
        report.heading("Cost per million chat calls (FC 3.0)", "Formula: CU per call = (vCPU x 1 + GB x 0.15) x seconds / "
                + "concurrent requests per instance + 75/10,000; USD = CU x 0.000020 (FC 3.0 list price, tier 1; LLM tokens not included). "
                + String.format("Each call waits 2 s on the upstream plus Jingnei's measured overhead (%.1f ms). ", jingneiAddedMs)
                + String.format("Measured RSS of the web function under load: %.0f MB, so 1 GB instances are enough for it.", jingneiRssMb));
        double seconds = 2.0 + jingneiAddedMs / 1000;
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("FC java11 built-in, 0.35 vCPU / 0.5 GB, 1 request per instance", 0.35, 0.5, seconds, 1));
        rows.add(row("Web function, 1 vCPU / 1 GB, 10 requests in flight per instance", 1, 1, seconds, 10));
        rows.add(row("Web function, 1 vCPU / 1 GB, 50 requests in flight per instance", 1, 1, seconds, 50));
        rows.add(row("Web function, 2 vCPU / 2 GB, 100 requests in flight per instance", 2, 2, seconds, 100));
        report.table(List.of("deployment", "CU per call", "USD per million calls"), rows);
    }

    private static List<String> row(String what, double vcpu, double gb, double seconds, double concurrency) {
        double usd = usdPerMillion(vcpu, gb, seconds, concurrency);
        return List.of(what, String.format("%.4f", usd / USD_PER_CU / 1_000_000), String.format("%.2f", usd));
    }
}
