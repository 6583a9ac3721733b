import Foundation
import SidecarProtocol
import Synchronization
import Testing

@testable import SidecarLedger

struct LedgerRecordTests {
    /// A recorded row comes back field for field, including metadata, peer credentials and a null cost.
    @Test func roundTripsEveryField() async throws {
        let dir = TempDir()
        let ledger = try Ledger.open(path: dir.file())
        var first = Fixtures.row(1, metadata: ["ticket": "T-1", "tags": ["a", "b"], "n": 3, "nul": "a\u{0}b"])
        first.requestID = "req\u{0}ü-1"
        first.agent = ""
        let second = Fixtures.row(
            2, provider: nil, model: nil, usage: .unreported, costUSD: nil,
            outcome: "no_provider_available")
        try await ledger.record(first)
        try await ledger.record(second)
        #expect(try ledger.rows(matching: UsageQuery()) == [first, second])
        ledger.close()
    }

    /// 200 concurrent records all commit (group commit batches them) and the totals equal the sum exactly.
    @Test func concurrentRecordsSumExactly() async throws {
        let dir = TempDir()
        let ledger = try Ledger.open(path: dir.file())
        let rows = (0..<200).map { Fixtures.row($0, agent: "agent-\($0 % 7)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for row in rows { group.addTask { try await ledger.record(row) } }
            try await group.waitForAll()
        }
        let report = try ledger.usage(UsageQuery())
        #expect(report.totals.requests == 200)
        #expect(report.totals.inputTokens == rows.reduce(0) { $0 + $1.usage.inputTokens })
        #expect(report.totals.outputTokens == rows.reduce(0) { $0 + $1.usage.outputTokens })
        #expect(report.totals.cacheReadTokens == rows.reduce(0) { $0 + $1.usage.cacheReadTokens })
        #expect(report.totals.cacheWriteTokens == rows.reduce(0) { $0 + $1.usage.cacheWriteTokens })
        #expect(report.rows.count == 7)
        #expect(Set(try ledger.rows(matching: UsageQuery()).map(\.requestID)) == Set(rows.map(\.requestID)))
        ledger.close()
    }

    /// Rows committed before a close are there after reopening; recording after close fails with `closed`.
    @Test func survivesReopenAndRefusesAfterClose() async throws {
        let dir = TempDir()
        let ledger = try Ledger.open(path: dir.file())
        try await ledger.record(Fixtures.row(1))
        ledger.close()
        await #expect(throws: LedgerError.closed(path: dir.file())) { try await ledger.record(Fixtures.row(2)) }
        let reopened = try Ledger.open(path: dir.file())
        #expect(try reopened.rows(matching: UsageQuery()).map(\.requestID) == ["req-1"])
        reopened.close()
    }

    /// A write failure (the file cannot grow, as on a full disk) fails the request's record, is logged,
    /// shows in `health` and closes admission; a later successful write reopens it.
    @Test func writeFailureIsReportedAndRecovers() async throws {
        let dir = TempDir()
        let (logs, logged) = AsyncStream.makeStream(of: String.self)
        let ledger = try Ledger.open(
            path: dir.file(), synchronous: .normal, probeInterval: 0.05, pageLimit: 1,
            log: { logged.yield($0) })
        let big: JSONValue = ["blob": .string(String(repeating: "x", count: 3000))]
        var failure: LedgerError?
        for n in 0..<50 where failure == nil {
            do { try await ledger.record(Fixtures.row(n, metadata: big)) } catch { failure = error }
        }
        guard case .writeFailed(let path, _) = failure else {
            Issue.record("expected writeFailed, got \(String(describing: failure))")
            return
        }
        #expect(path == dir.file())
        var iterator = logs.makeAsyncIterator()
        let loud = await iterator.next()
        #expect(loud?.contains("LEDGER WRITE FAILED") == true)
        let recovered = await iterator.next()
        #expect(recovered?.contains("writable again") == true)
        #expect(ledger.health == .ok)
        ledger.close()
    }

    /// While writes fail, `health` carries the error and `admissionError` refuses requests with `internal`.
    @Test func failingHealthClosesAdmission() async throws {
        let dir = TempDir()
        let ledger = try Ledger.open(
            path: dir.file(), synchronous: .normal, probeInterval: 3600, pageLimit: 1,
            log: { _ in })
        let big: JSONValue = ["blob": .string(String(repeating: "x", count: 3000))]
        var failed = false
        for n in 0..<50 where !failed {
            do { try await ledger.record(Fixtures.row(n, metadata: big)) } catch { failed = true }
        }
        #expect(failed)
        guard case .failing(let message, _) = ledger.health else {
            Issue.record("health should be failing")
            return
        }
        #expect(message.contains("full"))
        #expect(ledger.health.json["state"] == "failing")
        #expect(ledger.admissionError?.code == .ledgerUnavailable)
        #expect(ledger.admissionError?.retryable == true)
        ledger.close()
    }
}
