import Foundation
import SidecarProtocol
import SidecarSpending
import SidecarTime
import Testing

struct BudgetBookTests {
    /// 2026-11-25T10:00:00Z
    static let now = Date(timeIntervalSince1970: 1_795_600_800)
    static let estimate = ReservationEstimate(tokens: 100, costUSD: nil)

    /// 50 concurrent reservations against a budget that fits 10: exactly 10 are admitted, the rest get
    /// `budget_exceeded` naming the reset time.
    @Test func concurrentReservationsNeverOvershoot() async throws {
        let book = BudgetBook()
        let budget = Budget(tokensPerDay: 1000)
        let outcomes = await withTaskGroup(of: Result<Reservation, SidecarError>.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    do throws(SidecarError) {
                        return .success(
                            try book.reserve(
                                agent: "coder", budget: budget, estimate: Self.estimate,
                                now: Self.now))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let admitted = outcomes.filter { if case .success = $0 { true } else { false } }
        #expect(admitted.count == 10)
        for case .failure(let error) in outcomes {
            #expect(error.code == .budgetExceeded)
            #expect(error.message.contains("resets at 2026-11-26T00:00:00Z"))
            #expect(error.retryAfterMs == 14 * 3_600_000)
        }
    }

    /// Requests that reserve, run and settle concurrently never push spending past the budget by more
    /// than one reservation, and the book's total equals the sum of what was settled.
    @Test func concurrentReserveAndSettleStaysWithinOneReservation() async {
        let book = BudgetBook()
        let budget = Budget(tokensPerDay: 1000)
        let settled = await withTaskGroup(of: Int.self) { group in
            for n in 0..<50 {
                group.addTask {
                    guard
                        let r = try? book.reserve(
                            agent: "coder", budget: budget, estimate: Self.estimate,
                            now: Self.now)
                    else { return 0 }
                    await Task.yield()
                    let actual = 50 + (n * 37) % 51  // 50...100, never above the estimate
                    book.settle(r, actualTokens: actual, actualCostUSD: nil, now: Self.now)
                    return actual
                }
            }
            return await group.reduce(0, +)
        }
        let spent = book.snapshot(agent: "coder", now: Self.now)
        #expect(spent.spentTokens == settled)
        #expect(spent.spentTokens <= 1000 + Self.estimate.tokens)
        #expect(spent.reservedTokens == 0)
    }

    /// Spending resets at 00:00 UTC; the USD budget counts priced estimates and ignores unpriced ones.
    @Test func dayRolloverAndUSDBudget() throws {
        let book = BudgetBook()
        let budget = Budget(tokensPerDay: 150, usdPerDay: 1.0)
        let late = try #require(Timestamp.parse("2026-11-25T23:59:59Z"))
        let r = try book.reserve(agent: "a", budget: budget, estimate: Self.estimate, now: late)
        book.settle(r, actualTokens: 120, actualCostUSD: 0.9, now: late)
        #expect(throws: SidecarError(.budgetExceeded, "")) {
            try book.reserve(agent: "a", budget: budget, estimate: Self.estimate, now: late)
        }
        let next = late.addingTimeInterval(2)
        _ = try book.reserve(
            agent: "a", budget: budget, estimate: ReservationEstimate(tokens: 10, costUSD: 0.6),
            now: next)
        #expect(throws: SidecarError(.budgetExceeded, "")) {
            try book.reserve(
                agent: "a", budget: budget, estimate: ReservationEstimate(tokens: 10, costUSD: 0.6),
                now: next)
        }
        _ = try book.reserve(
            agent: "a", budget: budget, estimate: ReservationEstimate(tokens: 10, costUSD: nil),
            now: next)
    }

    /// requests_per_minute is a sliding window answered with `rate_limited` and the wait until a slot frees.
    @Test func requestsPerMinute() throws {
        let book = BudgetBook()
        let budget = Budget(requestsPerMinute: 2)
        _ = try book.reserve(agent: "a", budget: budget, estimate: Self.estimate, now: Self.now)
        _ = try book.reserve(agent: "a", budget: budget, estimate: Self.estimate, now: Self.now.addingTimeInterval(30))
        let error = #expect(throws: SidecarError.self) {
            try book.reserve(agent: "a", budget: budget, estimate: Self.estimate, now: Self.now.addingTimeInterval(45))
        }
        #expect(error?.code == .rateLimited)
        #expect(error?.retryAfterMs == 15_000)
        _ = try book.reserve(agent: "a", budget: budget, estimate: Self.estimate, now: Self.now.addingTimeInterval(61))
    }

    /// Settling a reservation twice counts it once.
    @Test func settleIsIdempotent() throws {
        let book = BudgetBook()
        let r = try book.reserve(agent: "a", budget: Budget(), estimate: Self.estimate, now: Self.now)
        book.settle(r, actualTokens: 70, actualCostUSD: nil, now: Self.now)
        book.settle(r, actualTokens: 70, actualCostUSD: nil, now: Self.now)
        #expect(book.snapshot(agent: "a", now: Self.now) == (70, 0, 0))
    }
}
