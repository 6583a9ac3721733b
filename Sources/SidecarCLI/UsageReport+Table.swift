import SidecarLedger
import SidecarSpending

extension UsageReport {
    /// The text table of `provider-sidecar usage`: one line per breakdown row, then TOTAL.
    ///
    ///     AGENT  REQUESTS  INPUT  OUTPUT  CACHE_READ  CACHE_WRITE  TOTAL_TOKENS  COST_USD
    ///     coder         2   1200     300           0            0          1500  0.008100
    ///     TOTAL         2   1200     300           0            0          1500  0.008100
    ///
    /// Costs are `-` when no row of the line was priced; notes below the table count unpriced rows and
    /// rows whose upstream reported no usage, so an unknown is never read as zero; others give the 1-hour part of
    /// CACHE_WRITE and the reasoning part of OUTPUT (they are not further token classes), and web searches,
    /// when there are any.
    func table() -> String {
        let header = [
            query.groupBy.rawValue.uppercased(), "REQUESTS", "INPUT", "OUTPUT", "CACHE_READ",
            "CACHE_WRITE", "TOTAL_TOKENS", "COST_USD",
        ]
        let lines = [header] + rows.map { Self.cells($0.key, $0.totals) } + [Self.cells("TOTAL", totals)]
        var out = TextTable.render(lines, alignments: [.left] + Array(repeating: .right, count: header.count - 1))
        if totals.unpricedRequests > 0 {
            out += "note: \(totals.unpricedRequests) request(s) had no price configured; their cost is not included\n"
        }
        if totals.cacheWrite1hTokens > 0 {
            out += "note: \(totals.cacheWrite1hTokens) of the cache-write tokens were 1-hour writes\n"
        }
        if totals.reasoningTokens > 0 {
            out += "note: \(totals.reasoningTokens) of the output tokens were reasoning\n"
        }
        if totals.webSearchRequests > 0 {
            out += "note: \(totals.webSearchRequests) server-side web search(es), priced per search\n"
        }
        if totals.unreportedRequests > 0 {
            out += "note: \(totals.unreportedRequests) request(s) had no usage reported by the upstream\n"
        }
        return out
    }

    private static func cells(_ key: String, _ t: UsageTotals) -> [String] {
        [
            key, String(t.requests), String(t.inputTokens), String(t.outputTokens), String(t.cacheReadTokens),
            String(t.cacheWriteTokens), String(t.totalTokens), t.costUSD.map(USD.format) ?? "-",
        ]
    }
}
