import Foundation
import SidecarProtocol
import SidecarSpending
import Testing

@testable import SidecarLedger

struct BudgetBookSeedingTests {
    static let now = Fixtures.base  // 2026-11-25T10:00:00Z
    static let estimate = ReservationEstimate(tokens: 100, costUSD: nil)

    /// Budgets survive a restart: a book seeded from the reopened ledger counts today's rows (not
    /// yesterday's) and refuses what no longer fits.
    @Test func seededFromLedgerAfterReopen() async throws {
        let dir = TempDir()
        let ledger = try Ledger.open(path: dir.file())
        let usage = Usage(inputTokens: 300, outputTokens: 100, cacheReadTokens: 40, cacheWriteTokens: 10)
        try await ledger.record(Fixtures.row(0, time: Self.now.addingTimeInterval(-3600), usage: usage))
        try await ledger.record(Fixtures.row(0, time: Self.now.addingTimeInterval(-30), usage: usage, costUSD: 0.5))
        try await ledger.record(Fixtures.row(0, time: Self.now.addingTimeInterval(-86_400), usage: usage))
        try await ledger.record(Fixtures.row(0, agent: "other", time: Self.now, usage: usage))
        ledger.close()

        let reopened = try Ledger.open(path: dir.file())
        defer { reopened.close() }
        let book = try BudgetBook(seededFrom: reopened, now: Self.now)
        let seeded = book.snapshot(agent: "coder", now: Self.now)
        #expect(seeded.spentTokens == 900)
        #expect(seeded.spentUSD == 0.501)
        let budget = Budget(tokensPerDay: 1000)
        _ = try book.reserve(agent: "coder", budget: budget, estimate: Self.estimate, now: Self.now)
        #expect(throws: SidecarError(.budgetExceeded, "")) {
            try book.reserve(agent: "coder", budget: budget, estimate: Self.estimate, now: Self.now)
        }
        #expect(throws: SidecarError(.rateLimited, "")) {
            try book.reserve(
                agent: "coder", budget: Budget(requestsPerMinute: 2), estimate: Self.estimate,
                now: Self.now)
        }
    }
}
