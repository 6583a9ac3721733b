import SidecarLedger
import SidecarTestSupport
import Testing

@testable import SidecarCLI

struct UsageTableTests {
    /// One line per agent, a TOTAL line, unknown costs as `-`, notes on the 1-hour and reasoning parts, web searches and on
    /// unknowns.
    @Test func rendersTableByAgent() {
        let report = UsageReportFixture.byAgent
        let expected = """
            AGENT     REQUESTS  INPUT  OUTPUT  CACHE_READ  CACHE_WRITE  TOTAL_TOKENS  COST_USD
            coder            3   1200     250         500          100          2050  0.010100
            reviewer         1    300      30           0            0           330         -
            TOTAL            4   1500     280         500          100          2380  0.010100
            note: 2 request(s) had no price configured; their cost is not included
            note: 40 of the cache-write tokens were 1-hour writes
            note: 12 of the output tokens were reasoning
            note: 2 server-side web search(es), priced per search
            note: 1 request(s) had no usage reported by the upstream

            """
        #expect(report.table() == expected)
    }
}
