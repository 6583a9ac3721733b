import SidecarProtocol
import Testing

@testable import SidecarCLI

struct StatusTableTests {
    /// The header line, the ledger line, then one left-aligned row per provider; the last column is
    /// not padded, so no line ends in spaces.
    @Test func rendersProviders() {
        let report: JSONValue = [
            "sidecar": ["version": "1.2.3", "uptime_s": 42, "connections": 2, "in_flight": 1],
            "ledger": ["state": "failing", "error": "disk full", "since": "2026-11-25T10:00:00Z"],
            "providers": [
                [
                    "name": "anthropic", "kind": "anthropic", "state": "open", "open_until": "2026-11-25T10:00:30Z",
                    "consecutive_failures": 3, "in_flight": 0,
                    "last_error": ["code": "overloaded", "message": "529 Overloaded"],
                ],
                [
                    "name": "sim", "kind": "simulated", "state": "closed", "consecutive_failures": 0, "in_flight": 1,
                    "last_success": "2026-11-25T09:59:59Z", "health_check": ["ok": true, "latency_ms": 3],
                ],
            ],
        ]
        let expected = """
            provider-sidecar 1.2.3 · up 42 s · 2 connections · 1 in flight
            ledger: failing since 2026-11-25T10:00:00Z: disk full
            PROVIDER   KIND       BREAKER                          FAILS  IN FLIGHT  LAST SUCCESS          HEALTH   LAST ERROR
            anthropic  anthropic  open until 2026-11-25T10:00:30Z  3      0          -                     -        overloaded: 529 Overloaded
            sim        simulated  closed                           0      1          2026-11-25T09:59:59Z  ok 3 ms  -

            """
        #expect(StatusCommand.render(report) == expected)
    }

    /// Right-aligned columns pad on the left; rows may have fewer cells than the widest.
    @Test func alignsColumns() {
        let rows = [["KEY", "N", "NOTE"], ["a", "100"], ["longer", "7", "x"]]
        let expected = """
            KEY       N  NOTE
            a       100
            longer    7  x

            """
        #expect(TextTable.render(rows, alignments: [.left, .right]) == expected)
    }
}
