import Foundation
import SidecarProtocol

extension LedgerReader {
    /// Totals and the query's breakdown over the matching rows. Reads a committed snapshot; never
    /// blocks the writer (WAL).
    public func usage(_ query: UsageQuery) throws(LedgerError) -> UsageReport {
        let filter = LedgerFilter(query)
        let sums = """
            COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens),
            SUM(cost_usd), SUM(cost_usd IS NULL), SUM(usage_reported = 0), SUM(cache_write_1h_tokens),
            SUM(reasoning_tokens), SUM(web_search_requests)
            """
        let key: String
        switch query.groupBy {
        case .agent: key = "agent"
        case .provider: key = "COALESCE(provider, '-')"
        case .model: key = "COALESCE(provider, '-') || '/' || COALESCE(model, '-')"
        case .day: key = "strftime('%Y-%m-%d', time_ms / 1000, 'unixepoch')"
        }
        return try read { db throws(SQLiteError) in
            let total = try filter.prepare(db, "SELECT \(sums) FROM requests", suffix: "")
            var totals = UsageTotals()
            if try total.step() { totals = Self.totals(total, from: 0) }
            let grouped = try filter.prepare(
                db, "SELECT \(key) AS k, \(sums) FROM requests",
                suffix: "GROUP BY k ORDER BY k")
            var rows: [UsageReport.Row] = []
            while try grouped.step() {
                rows.append(UsageReport.Row(key: grouped.string(0), totals: Self.totals(grouped, from: 1)))
            }
            return UsageReport(query: query, totals: totals, rows: rows)
        }
    }

    /// The matching rows in the order they were recorded (`group_by` is ignored).
    public func rows(matching query: UsageQuery) throws(LedgerError) -> [LedgerRow] {
        var rows: [LedgerRow] = []
        try forEachRow(query) { rows.append($0) }
        return rows
    }

    /// Calls `body` for each matching row, in recording order, without holding them all in memory.
    func forEachRow(_ query: UsageQuery, _ body: (LedgerRow) -> Void) throws(LedgerError) {
        try read { db throws(SQLiteError) in
            let stmt = try LedgerFilter(query).prepare(
                db,
                """
                SELECT time_ms, request_id, agent, peer_uid, peer_pid, provider, model, outcome, input_tokens,
                    output_tokens, cache_read_tokens, cache_write_tokens, usage_reported, cost_usd, ttft_ms,
                    latency_ms, attempts, metadata, cache_write_1h_tokens, reasoning_tokens,
                    web_search_requests, service_tier FROM requests
                """, suffix: "ORDER BY seq")
            while try stmt.step() { body(Self.row(stmt)) }
        }
    }

    private func read<T>(_ body: (SQLiteDatabase) throws(SQLiteError) -> T) throws(LedgerError) -> T {
        do {
            return try db.withLock { db throws(SQLiteError) in try body(db) }
        } catch {
            throw .queryFailed(path: path, detail: error.description)
        }
    }

    private static func totals(_ s: SQLiteStatement, from c: Int32) -> UsageTotals {
        UsageTotals(
            requests: s.int(c), inputTokens: s.int(c + 1), outputTokens: s.int(c + 2),
            cacheReadTokens: s.int(c + 3), cacheWriteTokens: s.int(c + 4), costUSD: s.optionalDouble(c + 5),
            unpricedRequests: s.int(c + 6), unreportedRequests: s.int(c + 7), cacheWrite1hTokens: s.int(c + 8),
            reasoningTokens: s.int(c + 9), webSearchRequests: s.int(c + 10))
    }

    private static func row(_ s: SQLiteStatement) -> LedgerRow {
        let metadata = s.optionalString(17).flatMap { try? JSONValue.parse(Array($0.utf8)) }
        return LedgerRow(
            time: Date(timeIntervalSince1970: Double(s.int(0)) / 1000), requestID: s.string(1), agent: s.string(2),
            peerUID: s.optionalInt(3).flatMap { UInt32(exactly: $0) },
            peerPID: s.optionalInt(4).flatMap { Int32(exactly: $0) }, provider: s.optionalString(5),
            model: s.optionalString(6), outcome: s.string(7),
            usage: Usage(
                inputTokens: s.int(8), outputTokens: s.int(9), cacheReadTokens: s.int(10),
                cacheWriteTokens: s.int(11), cacheWrite1hTokens: s.int(18), reasoningTokens: s.optionalInt(19),
                webSearchRequests: s.int(20), serviceTier: s.optionalString(21), reported: s.int(12) != 0),
            costUSD: s.optionalDouble(13), ttftMs: s.optionalInt(14), latencyMs: s.int(15), attempts: s.int(16),
            metadata: metadata)
    }
}
