import Foundation
import Testing

@testable import SidecarLedger

struct LedgerReaderTests {
    /// A read-only reader sees committed rows while a sidecar holds the ledger, and after it stopped.
    @Test func readsWhileWriterRunsAndAfter() async throws {
        let dir = TempDir()
        let ledger = try Ledger.open(path: dir.file())
        try await ledger.record(Fixtures.row(1))
        let live = try LedgerReader.open(path: dir.file())
        #expect(try live.usage(UsageQuery()).totals.requests == 1)
        try await ledger.record(Fixtures.row(2))
        #expect(try live.rows(matching: UsageQuery()).map(\.requestID) == ["req-1", "req-2"])
        live.close()
        ledger.close()
        let after = try LedgerReader.open(path: dir.file())
        #expect(try after.usage(UsageQuery()).totals.requests == 2)
        after.close()
    }

    /// Reading a path with no ledger says so and creates nothing; garbage is reported as corrupt.
    @Test func missingAndCorruptFiles() throws {
        let dir = TempDir()
        #expect(throws: LedgerError.missing(path: dir.file())) { try LedgerReader.open(path: dir.file()) }
        #expect(!FileManager.default.fileExists(atPath: dir.file()))
        #expect(FileManager.default.createFile(atPath: dir.file(), contents: Data(repeating: 0x5A, count: 4096)))
        let error = #expect(throws: LedgerError.self) { try LedgerReader.open(path: dir.file()) }
        guard case .corrupt = error else {
            Issue.record("expected corrupt, got \(String(describing: error))")
            return
        }
    }
}
