import Foundation

/// Writes batches of rows on the writer connection, one transaction per batch. Used only by the writer thread.
final class BatchWriter {
    private let db: SQLiteDatabase
    private var insert: SQLiteStatement?

    static let insertSQL = """
        INSERT INTO requests (time_ms, request_id, agent, peer_uid, peer_pid, provider, model, outcome,
            input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, usage_reported, cost_usd,
            ttft_ms, latency_ms, attempts, metadata, cache_write_1h_tokens, reasoning_tokens, web_search_requests,
            service_tier)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    init(db: SQLiteDatabase) { self.db = db }

    /// All rows or none: on failure the transaction is rolled back.
    func commit(_ rows: [LedgerRow]) -> Result<Void, SQLiteError> {
        do throws(SQLiteError) {
            let stmt: SQLiteStatement
            if let insert {
                stmt = insert
            } else {
                stmt = try db.prepare(Self.insertSQL)
                insert = stmt
            }
            try db.execute("BEGIN IMMEDIATE")
            do throws(SQLiteError) {
                for row in rows {
                    Self.bind(row, to: stmt)
                    defer { stmt.reset() }
                    _ = try stmt.step()
                }
                try db.execute("COMMIT")
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
            return .success(())
        } catch {
            return .failure(error)
        }
    }

    /// A minimal write transaction (rewrites the header's user_version), to learn whether writes work again.
    func probe() -> Result<Void, SQLiteError> {
        do throws(SQLiteError) {
            try db.execute("BEGIN IMMEDIATE; PRAGMA user_version = \(Schema.currentVersion); COMMIT")
            return .success(())
        } catch {
            try? db.execute("ROLLBACK")
            return .failure(error)
        }
    }

    /// Finalizes the statement, then closes the connection (a connection with live statements would
    /// linger as a zombie, checkpointing after `close()` returned).
    func close() {
        insert = nil
        db.close()
    }

    private static func bind(_ row: LedgerRow, to stmt: SQLiteStatement) {
        stmt.bind(1, Int((row.time.timeIntervalSince1970 * 1000).rounded()))
        stmt.bind(2, row.requestID)
        stmt.bind(3, row.agent)
        stmt.bind(4, row.peerUID.map { Int($0) })
        stmt.bind(5, row.peerPID.map { Int($0) })
        stmt.bind(6, row.provider)
        stmt.bind(7, row.model)
        stmt.bind(8, row.outcome)
        stmt.bind(9, row.usage.inputTokens)
        stmt.bind(10, row.usage.outputTokens)
        stmt.bind(11, row.usage.cacheReadTokens)
        stmt.bind(12, row.usage.cacheWriteTokens)
        stmt.bind(13, row.usage.reported ? 1 : 0)
        stmt.bind(14, row.costUSD)
        stmt.bind(15, row.ttftMs)
        stmt.bind(16, row.latencyMs)
        stmt.bind(17, row.attempts)
        stmt.bind(18, row.metadata.map { String(decoding: $0.encoded(), as: UTF8.self) })
        stmt.bind(19, row.usage.cacheWrite1hTokens)
        stmt.bind(20, row.usage.reasoningTokens)
        stmt.bind(21, row.usage.webSearchRequests)
        stmt.bind(22, row.usage.serviceTier)
    }
}
