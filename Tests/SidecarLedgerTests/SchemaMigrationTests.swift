import Foundation
import Testing

@testable import SidecarLedger

struct SchemaMigrationTests {
    /// An empty file migrates to the current version and accepts rows.
    @Test func migratesEmptyFile() async throws {
        let dir = TempDir()
        #expect(FileManager.default.createFile(atPath: dir.file(), contents: Data()))
        let ledger = try Ledger.open(path: dir.file())
        try await ledger.record(Fixtures.row(1))
        ledger.close()
        #expect(try Fixtures.rawDatabase(dir.file()).integer("PRAGMA user_version") == Schema.currentVersion)
    }

    /// A file at every earlier version (built by running only the old migrations) migrates forward, keeps
    /// its rows, and ends with the same columns and indexes as a fresh ledger.
    @Test(arguments: 0..<Schema.currentVersion)
    func migratesFromEarlierVersion(version: Int) async throws {
        let dir = TempDir()
        let old = try Fixtures.rawDatabase(dir.file("old.db"))
        #expect(try Schema.migrate(old, to: version) == version)
        if version >= 1 {
            try old.execute(
                """
                INSERT INTO requests (time_ms, request_id, agent, outcome, input_tokens, output_tokens,
                    cache_read_tokens, cache_write_tokens, usage_reported, cost_usd, latency_ms)
                VALUES (1795600800000, 'old-1', 'coder', 'ok', 7, 3, 0, 0, 1, NULL, 99)
                """)
        }
        old.close()

        let ledger = try Ledger.open(path: dir.file("old.db"))
        try await ledger.record(Fixtures.row(1))
        let rows = try ledger.rows(matching: UsageQuery())
        ledger.close()
        #expect(rows.map(\.requestID) == (version >= 1 ? ["old-1", "req-1"] : ["req-1"]))
        if version >= 1 {
            #expect(rows.first?.attempts == 1)
            #expect(rows.first?.usage.inputTokens == 7)
            #expect(rows.first?.costUSD == nil)
            // v3: older rows have no 1-hour writes and no reasoning count.
            #expect(rows.first?.usage.cacheWrite1hTokens == 0)
            #expect(rows.first?.usage.reasoningTokens == nil)
            // v4: no web searches, no service tier.
            #expect(rows.first?.usage.webSearchRequests == 0)
            #expect(rows.first?.usage.serviceTier == nil)
        }

        try Ledger.open(path: dir.file("fresh.db")).close()
        #expect(try Self.shape(dir.file("old.db")) == Self.shape(dir.file("fresh.db")))
    }

    /// Column names and index names, to compare a migrated file with a fresh one.
    private static func shape(_ path: String) throws -> [String] {
        let db = try Fixtures.rawDatabase(path)
        var shape: [String] = ["version \(try db.integer("PRAGMA user_version"))"]
        let columns = try db.prepare("SELECT name, type, \"notnull\" FROM pragma_table_info('requests') ORDER BY name")
        while try columns.step() { shape.append("\(columns.string(0)) \(columns.string(1)) \(columns.int(2))") }
        let indexes = try db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
        while try indexes.step() { shape.append("index \(indexes.string(0))") }
        return shape
    }
}
