import Foundation
import SidecarProtocol
import SidecarTime
import Synchronization

/// Per-agent spending over the current UTC day and reservations in flight: the budget check.
///
/// Before dispatch a request reserves its `ReservationEstimate`; it is admitted only if what the agent
/// spent today, plus every reservation still in flight, plus its own estimate fits the budget. When the
/// request ends, `settle` replaces the reservation with the actual usage. All of it happens under one
/// lock, so concurrent requests cannot race past the budget: spending can exceed it only by how much
/// actual usage exceeds the estimates of the requests that were in flight together (the input estimate
/// is approximate; `max_tokens` bounds the output).
///
/// Budgets survive a restart: `init(spentToday:admissions:now:)` restores what the ledger recorded.
public final class BudgetBook: Sendable {
    private struct Account {
        /// Days since 1970-01-01 (UTC) that `spentTokens`/`spentUSD` belong to.
        var day: Int
        var spentTokens = 0
        var spentUSD = 0.0
        var reservedTokens = 0
        var reservedUSD = 0.0
        var open: Set<UInt64> = []
        /// Admission times within the last minute, oldest first.
        var admitted: [Date] = []

        /// A new UTC day starts with nothing spent; reservations in flight stay held.
        mutating func roll(to today: Int) {
            guard today > day else { return }
            day = today
            spentTokens = 0
            spentUSD = 0
        }
    }

    private struct State {
        var accounts: [String: Account] = [:]
        var nextID: UInt64 = 1
    }

    private let state = Mutex(State())

    public init() {}

    /// Restores spending after a restart: what each agent spent since `startOfUTCDay(containing: now)`,
    /// and when requests were admitted within `rateWindow` before `now` (later ones are ignored).
    public convenience init(
        spentToday: [String: (tokens: Int, usd: Double)], admissions: [(agent: String, time: Date)], now: Date
    ) {
        self.init()
        let day = Self.day(of: now)
        state.withLock { s in
            for (agent, spent) in spentToday {
                var account = Account(day: day)
                account.spentTokens = spent.tokens
                account.spentUSD = spent.usd
                s.accounts[agent] = account
            }
            for admission in admissions where admission.time <= now {
                s.accounts[admission.agent, default: Account(day: day)].admitted.append(admission.time)
            }
        }
    }

    /// The sliding window of `requests_per_minute`.
    public static let rateWindow: TimeInterval = 60

    /// 00:00 UTC of `date`'s day, when the day's spending started counting.
    public static func startOfUTCDay(containing date: Date) -> Date { start(ofDay: day(of: date)) }

    /// Reserves `estimate` for one request of `agent`, or throws before any upstream call:
    /// `budget_exceeded` (tokens or USD per day; the message and `retry_after_ms` give the reset time,
    /// next 00:00 UTC) or `rate_limited` (requests per minute; `retry_after_ms` until a slot frees).
    public func reserve(agent: String, budget: Budget, estimate: ReservationEstimate, now: Date) throws(SidecarError)
        -> Reservation
    {
        let day = Self.day(of: now)
        let result = state.withLock { s -> Result<Reservation, SidecarError> in
            var account = s.accounts[agent] ?? Account(day: day)
            account.roll(to: day)
            account.admitted.removeAll { $0 <= now.addingTimeInterval(-Self.rateWindow) }
            if let error = Self.check(agent, budget, estimate, account, now: now, day: day) {
                s.accounts[agent] = account
                return .failure(error)
            }
            let id = s.nextID
            s.nextID += 1
            account.reservedTokens += estimate.tokens
            account.reservedUSD += estimate.costUSD ?? 0
            account.open.insert(id)
            account.admitted.append(now)
            s.accounts[agent] = account
            return .success(Reservation(id: id, agent: agent, tokens: estimate.tokens, costUSD: estimate.costUSD))
        }
        return try result.get()
    }

    /// Replaces the reservation by what the request actually spent (counted on `now`'s UTC day).
    public func settle(_ reservation: Reservation, actualTokens: Int, actualCostUSD: Double?, now: Date = Date()) {
        state.withLock { s in
            guard var account = s.accounts[reservation.agent], account.open.remove(reservation.id) != nil else {
                return
            }
            account.reservedTokens -= reservation.tokens
            account.reservedUSD -= reservation.costUSD ?? 0
            account.roll(to: Self.day(of: now))
            account.spentTokens += actualTokens
            account.spentUSD += actualCostUSD ?? 0
            s.accounts[reservation.agent] = account
        }
    }

    /// Today's settled spending and what is reserved in flight, for `status`.
    public func snapshot(agent: String, now: Date) -> (spentTokens: Int, spentUSD: Double, reservedTokens: Int) {
        state.withLock { s in
            guard var account = s.accounts[agent] else { return (0, 0, 0) }
            account.roll(to: Self.day(of: now))
            return (account.spentTokens, account.spentUSD, account.reservedTokens)
        }
    }

    private static func check(
        _ agent: String, _ budget: Budget, _ estimate: ReservationEstimate, _ a: Account,
        now: Date, day: Int
    ) -> SidecarError? {
        if let rpm = budget.requestsPerMinute, a.admitted.count >= rpm {
            let free = (a.admitted.first ?? now).addingTimeInterval(rateWindow)
            return SidecarError(
                .rateLimited,
                "agent \"\(agent)\" reached requests_per_minute \(rpm); "
                    + "next slot at \(Timestamp.format(free))",
                retryAfterMs: max(1, Int((free.timeIntervalSince(now) * 1000).rounded(.up))))
        }
        let reset = start(ofDay: day + 1)
        let retryAfter = Int((reset.timeIntervalSince(now) * 1000).rounded(.up))
        if let limit = budget.tokensPerDay, a.spentTokens + a.reservedTokens + estimate.tokens > limit {
            return SidecarError(
                .budgetExceeded,
                "agent \"\(agent)\" would exceed tokens_per_day \(limit): "
                    + "\(a.spentTokens) used today, \(a.reservedTokens) reserved by requests in flight, "
                    + "\(estimate.tokens) estimated for this request; resets at \(Timestamp.format(reset))",
                retryAfterMs: retryAfter)
        }
        if let limit = budget.usdPerDay, let cost = estimate.costUSD, a.spentUSD + a.reservedUSD + cost > limit {
            return SidecarError(
                .budgetExceeded,
                "agent \"\(agent)\" would exceed usd_per_day \(limit): "
                    + "\(USD.format(a.spentUSD)) spent today, "
                    + "\(USD.format(a.reservedUSD)) reserved in flight, "
                    + "\(USD.format(cost)) estimated for this request; "
                    + "resets at \(Timestamp.format(reset))", retryAfterMs: retryAfter)
        }
        return nil
    }

    static func day(of date: Date) -> Int { Int((date.timeIntervalSince1970 / 86_400).rounded(.down)) }

    static func start(ofDay day: Int) -> Date { Date(timeIntervalSince1970: Double(day) * 86_400) }
}
