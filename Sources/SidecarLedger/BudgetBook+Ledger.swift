import Foundation
import SidecarSpending

extension BudgetBook {
    /// Seeds today's spending and the last minute's admissions per agent from the ledger, so budgets
    /// survive a restart.
    public convenience init(seededFrom ledger: Ledger, now: Date) throws(LedgerError) {
        let today = try ledger.usage(UsageQuery(since: Self.startOfUTCDay(containing: now), groupBy: .agent))
        let recent = try ledger.rows(matching: UsageQuery(since: now.addingTimeInterval(-Self.rateWindow)))
        var spentToday: [String: (tokens: Int, usd: Double)] = [:]
        for row in today.rows { spentToday[row.key] = (row.totals.totalTokens, row.totals.costUSD ?? 0) }
        self.init(spentToday: spentToday, admissions: recent.map { ($0.agent, $0.time) }, now: now)
    }
}
