extension UsageReport {
    /// A fixed-width text table for `provider-sidecar usage`: one line per breakdown row, then TOTAL.
    ///
    ///     AGENT  REQUESTS  INPUT  OUTPUT  CACHE_READ  CACHE_WRITE  TOTAL_TOKENS  COST_USD
    ///     coder         2   1200     300           0            0          1500  0.008100
    ///     TOTAL         2   1200     300           0            0          1500  0.008100
    ///
    /// Costs are `-` when no row of the line was priced; notes below the table count unpriced rows and
    /// rows whose upstream reported no usage, so an unknown is never read as zero.
    public func table() -> String {
        let header = [
            query.groupBy.rawValue.uppercased(), "REQUESTS", "INPUT", "OUTPUT", "CACHE_READ",
            "CACHE_WRITE", "TOTAL_TOKENS", "COST_USD",
        ]
        var lines = [header]
        for row in rows { lines.append(Self.cells(row.key, row.totals)) }
        lines.append(Self.cells("TOTAL", totals))
        var widths = header.map(\.count)
        for line in lines {
            for (i, cell) in line.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        var out = ""
        for line in lines {
            var cells: [String] = []
            for (i, cell) in line.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                cells.append(i == 0 ? cell + pad : pad + cell)
            }
            out += cells.joined(separator: "  ") + "\n"
        }
        if totals.unpricedRequests > 0 {
            out += "note: \(totals.unpricedRequests) request(s) had no price configured; their cost is not included\n"
        }
        if totals.unreportedRequests > 0 {
            out += "note: \(totals.unreportedRequests) request(s) had no usage reported by the upstream\n"
        }
        return out
    }

    private static func cells(_ key: String, _ t: UsageTotals) -> [String] {
        [
            key, String(t.requests), String(t.inputTokens), String(t.outputTokens), String(t.cacheReadTokens),
            String(t.cacheWriteTokens), String(t.totalTokens), t.costUSD.map(formatUSD) ?? "-",
        ]
    }

    /// Six decimals: a cheap request costs fractions of a cent.
    static func formatUSD(_ value: Double) -> String {
        let micro = Int((value * 1_000_000).rounded())
        let whole = micro / 1_000_000
        let frac = String(micro % 1_000_000)
        return "\(whole)." + String(repeating: "0", count: 6 - frac.count) + frac
    }
}
