import Foundation
import SidecarCLI
import SidecarProtocol
import SidecarTestSupport
import Testing

/// The ledger file under a running sidecar: deleting it stops admission (no answered request goes
/// unrecorded), and deleting its lock file does not let a second sidecar open it.
@Suite(.serialized)
struct LedgerFileTests {
    /// After `rm ledger.sqlite` the next `complete` is refused with retryable `ledger_unavailable` naming the
    /// problem, and `status` reports the ledger as failing.
    @Test func deletedLedgerFileRefusesRequests() throws {
        let fixture = try SidecarFixture()
        let client = try fixture.connect()
        try client.send(SidecarClient.complete("before", model: "sim-fast"))
        #expect(try client.collect("before").terminal["type"] == "done")

        try FileManager.default.removeItem(atPath: fixture.ledgerPath)
        try client.send(SidecarClient.complete("after", model: "sim-fast"))
        let (chunks, terminal) = try client.collect("after")
        #expect(chunks.isEmpty)
        #expect(terminal["error"]?["code"] == "ledger_unavailable")
        #expect(terminal["error"]?["retryable"] == true)
        #expect(terminal["error"]?["message"]?.stringValue?.contains("deleted") == true)

        let status = try client.request(["type": "status", "id": "s"])
        #expect(status["report"]?["ledger"]?["state"] == "failing")
        #expect(status["report"]?["ledger"]?["error"]?.stringValue?.contains("deleted") == true)
    }

    /// Replacing the file (a `mv` over it) is noticed the same way.
    @Test func replacedLedgerFileRefusesRequests() throws {
        let fixture = try SidecarFixture()
        let other = try fixture.directory.write("other.sqlite", "")
        #expect(rename(other, fixture.ledgerPath) == 0)
        let client = try fixture.connect()
        try client.send(SidecarClient.complete("r", model: "sim-fast"))
        let terminal = try client.collect("r").terminal
        #expect(terminal["error"]?["code"] == "ledger_unavailable")
        #expect(terminal["error"]?["message"]?.stringValue?.contains("replaced") == true)
    }

    /// With `ledger.sqlite-lock` deleted, a second sidecar on the same ledger path still exits with `locked`,
    /// and the first keeps answering.
    @Test func deletedLockFileStillKeepsASecondSidecarOut() throws {
        let fixture = try SidecarFixture()
        try FileManager.default.removeItem(atPath: fixture.ledgerPath + "-lock")
        let second = fixture.directory.file("second.sock")
        #expect {
            _ = try SidecarProcess(
                arguments: ["serve", "--socket", second, "--ledger", fixture.ledgerPath],
                socketPath: second)
        } throws: { error in
            "\(error)".contains("locked by another process")
        }
        let client = try fixture.connect()
        try client.send(SidecarClient.complete("r", model: "sim-fast"))
        #expect(try client.collect("r").terminal["type"] == "done")
    }
}
