import Foundation
import SidecarProtocol
import SidecarTestSupport
import SidecarTime
import Testing

@testable import SidecarLedger

/// Queries and export against a small fixture ledger.
struct UsageQueryTests {
    static let hour = 3600.0

    /// Four requests over two UTC days: priced, unpriced, and one with no usage reported.
    static let fixture: [LedgerRow] = [
        LedgerRow(
            time: Fixtures.base, requestID: "r1", agent: "coder", peerUID: 1000, peerPID: 42,
            provider: "anthropic", model: "claude-test", outcome: "ok",
            usage: Usage(
                inputTokens: 1000, outputTokens: 200, cacheReadTokens: 500, webSearchRequests: 2,
                serviceTier: "standard"), costUSD: 0.0081,
            ttftMs: 120, latencyMs: 900, attempts: 1, metadata: ["note": "a, \"quoted\" value"]),
        LedgerRow(
            time: Fixtures.base.addingTimeInterval(hour), requestID: "r2", agent: "coder", provider: "anthropic",
            model: "claude-test", outcome: "ok",
            usage: Usage(inputTokens: 200, outputTokens: 50, cacheWriteTokens: 100, cacheWrite1hTokens: 40),
            costUSD: 0.002,
            ttftMs: 80, latencyMs: 400, attempts: 2),
        LedgerRow(
            time: Fixtures.base.addingTimeInterval(23 * hour), requestID: "r3", agent: "reviewer",
            provider: "openai", model: "gpt-test", outcome: "ok",
            usage: Usage(inputTokens: 300, outputTokens: 30, reasoningTokens: 12), costUSD: nil, ttftMs: 60,
            latencyMs: 300,
            attempts: 1),
        LedgerRow(
            time: Fixtures.base.addingTimeInterval(23.5 * hour), requestID: "r4", agent: "coder", provider: nil,
            model: nil, outcome: "no_provider_available", usage: .unreported, costUSD: nil, ttftMs: nil,
            latencyMs: 15, attempts: 3),
    ]

    static func ledger(_ dir: TempDir) async throws -> Ledger {
        let ledger = try Ledger.open(path: dir.file())
        for row in fixture { try await ledger.record(row) }
        return ledger
    }

    /// Totals per agent and overall; an unknown cost stays nil and unpriced and unreported requests are counted.
    @Test func totalsByAgent() async throws {
        let dir = TempDir()
        let ledger = try await Self.ledger(dir)
        defer { ledger.close() }
        let expected = UsageReportFixture.byAgent
        #expect(try ledger.usage(UsageQuery()) == expected)
    }

    /// Breakdowns by day, provider and model, keyed as documented.
    @Test func breaksDownByDayProviderAndModel() async throws {
        let dir = TempDir()
        let ledger = try await Self.ledger(dir)
        defer { ledger.close() }
        let byDay = try ledger.usage(UsageQuery(groupBy: .day))
        #expect(byDay.rows.map(\.key) == ["2026-11-25", "2026-11-26"])
        #expect(byDay.rows.map(\.totals.requests) == [2, 2])
        #expect(try ledger.usage(UsageQuery(groupBy: .provider)).rows.map(\.key) == ["-", "anthropic", "openai"])
        let byModel = try ledger.usage(UsageQuery(groupBy: .model))
        #expect(byModel.rows.map(\.key) == ["-/-", "anthropic/claude-test", "openai/gpt-test"])
        #expect(byModel.rows.map(\.totals.costUSD) == [nil, 0.0101, nil])
    }

    /// since (inclusive), until (exclusive), agent, provider and model filters select the right rows.
    @Test func filters() async throws {
        let dir = TempDir()
        let ledger = try await Self.ledger(dir)
        defer { ledger.close() }
        func ids(_ q: UsageQuery) throws -> [String] { try ledger.rows(matching: q).map(\.requestID) }
        let day2 = try #require(Timestamp.parse("2026-11-26"))
        #expect(try ids(UsageQuery(since: day2)) == ["r3", "r4"])
        #expect(try ids(UsageQuery(until: day2, agent: "coder")) == ["r1", "r2"])
        #expect(try ids(UsageQuery(since: Fixtures.base.addingTimeInterval(Self.hour))) == ["r2", "r3", "r4"])
        #expect(try ids(UsageQuery(provider: "openai")) == ["r3"])
        #expect(try ids(UsageQuery(model: "claude-test")) == ["r1", "r2"])
        #expect(try ledger.usage(UsageQuery(agent: "nobody")).totals == UsageTotals())
    }

    /// Query and report survive the trip through JSON (the `usage` request and reply).
    @Test func jsonRoundTrip() async throws {
        let dir = TempDir()
        let ledger = try await Self.ledger(dir)
        defer { ledger.close() }
        let request: JSONValue = [
            "type": "usage", "id": "u1", "since": "2026-11-25", "until": "2026-11-26T12:30:00Z", "agent": "coder",
            "group_by": "day",
        ]
        let query = try UsageQuery(json: request)
        #expect(query.groupBy == .day)
        #expect(query.until == Fixtures.base.addingTimeInterval(26.5 * Self.hour))
        #expect(try UsageQuery(json: query.json) == query)
        let report = try ledger.usage(query)
        #expect(try UsageReport(json: report.json) == report)
        #expect(try UsageReport(json: JSONValue.parse(report.json.encoded())) == report)
    }

    /// Bad query fields are `bad_request` errors naming the field.
    @Test func rejectsBadQueryFields() {
        #expect(throws: SidecarError(.badRequest, "")) { try UsageQuery(json: ["group_by": "week"]) }
        #expect(throws: SidecarError(.badRequest, "")) { try UsageQuery(json: ["since": "yesterday"]) }
        #expect(throws: SidecarError(.badRequest, "")) { try UsageQuery(json: ["agent": 3]) }
    }

    /// CSV export: header, RFC 4180 quoting, empty cells for null, metadata as JSON text.
    @Test func exportsCSV() async throws {
        let dir = TempDir()
        let ledger = try await Self.ledger(dir)
        defer { ledger.close() }
        var out = ""
        try ledger.export(UsageQuery(until: Timestamp.parse("2026-11-26")), format: .csv) { out += $0 }
        let expected = """
            time,request_id,agent,peer_uid,peer_pid,provider,model,outcome,input_tokens,output_tokens,\
            cache_read_tokens,cache_write_tokens,usage_reported,cost_usd,ttft_ms,latency_ms,attempts,metadata,\
            cache_write_1h_tokens,reasoning_tokens,web_search_requests,service_tier
            2026-11-25T10:00:00Z,r1,coder,1000,42,anthropic,claude-test,ok,1000,200,500,0,true,0.0081,120,900,1,\
            "{""note"":""a, \\""quoted\\"" value""}",0,,2,standard
            2026-11-25T11:00:00Z,r2,coder,,,anthropic,claude-test,ok,200,50,0,100,true,0.002,80,400,2,,40,,0,

            """
        #expect(out == expected)
    }

    /// JSON-lines export: one object per row with every column, nulls as null.
    @Test func exportsJSONLines() async throws {
        let dir = TempDir()
        let ledger = try await Self.ledger(dir)
        defer { ledger.close() }
        var lines: [String] = []
        try ledger.export(UsageQuery(), format: .jsonLines) { lines.append($0) }
        #expect(lines.count == 4)
        let last = try JSONValue.parse(Array(lines[3].utf8))
        #expect(Set(last.objectValue?.keys.map { $0 } ?? []) == Set(LedgerReader.exportColumns))
        #expect(last["request_id"] == "r4")
        #expect(last["cost_usd"] == .null)
        #expect(last["usage_reported"] == false)
        #expect(last["attempts"] == 3)
        #expect(last["cache_write_1h_tokens"] == 0 && last["reasoning_tokens"] == .null)
        #expect(try JSONValue.parse(Array(lines[2].utf8))["reasoning_tokens"] == 12)
        #expect(try JSONValue.parse(Array(lines[0].utf8))["metadata"] == ["note": "a, \"quoted\" value"])
    }
}

extension UsageQueryTests {
    /// Exporting to a file handle writes the same bytes as the line callback.
    @Test func exportsToFileHandle() async throws {
        let dir = TempDir()
        let ledger = try await Self.ledger(dir)
        defer { ledger.close() }
        #expect(FileManager.default.createFile(atPath: dir.file("out.csv"), contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dir.file("out.csv")))
        try ledger.export(UsageQuery(), format: .csv, to: handle)
        try handle.close()
        var expected = ""
        try ledger.export(UsageQuery(), format: .csv) { expected += $0 }
        #expect(try String(contentsOfFile: dir.file("out.csv"), encoding: .utf8) == expected)
    }
}
