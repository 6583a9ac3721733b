import Foundation
import Testing

@testable import SidecarLedger

/// The ledger file disappearing under an open ledger: the lock still holds, and writes stop.
struct LedgerFileGoneTests {
    /// Deleting the lock file does not release the ledger: the database file itself is locked too.
    @Test func lockHoldsWithoutItsLockFile() throws {
        let dir = TempDir()
        let first = try Ledger.open(path: dir.file())
        try FileManager.default.removeItem(atPath: dir.file() + "-lock")
        #expect(throws: LedgerError.locked(path: dir.file())) { try Ledger.open(path: dir.file()) }
        first.close()
        try Ledger.open(path: dir.file()).close()
    }

    /// A deleted file turns health to failing and closes admission with `ledger_unavailable`; a row
    /// recorded now fails with `fileGone` instead of going into the unlinked file.
    @Test func deletedFileFailsWrites() async throws {
        let dir = TempDir()
        let ledger = try Ledger.open(path: dir.file())
        try await ledger.record(Fixtures.row(0))
        try FileManager.default.removeItem(atPath: dir.file())
        #expect(ledger.admissionError?.code == .ledgerUnavailable)
        guard case .failing(let message, _) = ledger.health else {
            Issue.record("health should be failing")
            return
        }
        #expect(message == "the ledger file was deleted")
        await #expect(throws: LedgerError.fileGone(path: dir.file(), detail: "was deleted")) {
            try await ledger.record(Fixtures.row(1))
        }
        ledger.close()
    }

    /// Queries on the reader threads return the same report as the synchronous reader.
    @Test func readRunsQueriesOnReaderThreads() async throws {
        let dir = TempDir()
        let ledger = try Ledger.open(path: dir.file())
        for n in 0..<3 { try await ledger.record(Fixtures.row(n)) }
        let report = try await ledger.read { reader throws(LedgerError) in try reader.usage(UsageQuery()) }
        #expect(report == (try ledger.usage(UsageQuery())))
        #expect(report.totals.requests == 3)
        ledger.close()
    }
}
