import SidecarLedger

/// The usage report, by agent, of the ledger the ledger's query tests write (two agents, one unpriced and one
/// unreported request); the CLI's table tests render the same report.
public enum UsageReportFixture {
    public static let byAgent = UsageReport(
        query: UsageQuery(),
        totals: UsageTotals(
            requests: 4, inputTokens: 1500, outputTokens: 280, cacheReadTokens: 500, cacheWriteTokens: 100,
            costUSD: 0.0101, unpricedRequests: 2, unreportedRequests: 1, cacheWrite1hTokens: 40, reasoningTokens: 12,
            webSearchRequests: 2),
        rows: [
            .init(
                key: "coder",
                totals: UsageTotals(
                    requests: 3, inputTokens: 1200, outputTokens: 250, cacheReadTokens: 500,
                    cacheWriteTokens: 100, costUSD: 0.0101, unpricedRequests: 1, unreportedRequests: 1,
                    cacheWrite1hTokens: 40, webSearchRequests: 2)),
            .init(
                key: "reviewer",
                totals: UsageTotals(
                    requests: 1, inputTokens: 300, outputTokens: 30, costUSD: nil, unpricedRequests: 1,
                    reasoningTokens: 12)),
        ])
}
