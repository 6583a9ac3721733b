import Foundation
import Glibc
import SidecarProtocol

@testable import SidecarLedger

/// A fresh temporary directory, removed when the value is released.
final class TempDir {
    let path: String

    init() {
        let tmp =
            NSTemporaryDirectory().hasSuffix("/") ? String(NSTemporaryDirectory().dropLast()) : NSTemporaryDirectory()
        var template = Array((tmp + "/ledger-test-XXXXXX").utf8CString)
        path = template.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress, let made = mkdtemp(base) else { return "/tmp" }
            return String(cString: made)
        }
    }

    func file(_ name: String = "ledger.db") -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

enum Fixtures {
    /// 2026-11-25T10:00:00Z
    static let base = Date(timeIntervalSince1970: 1_795_600_800)

    static func row(
        _ n: Int, agent: String = "coder", provider: String? = "anthropic",
        model: String? = "claude-test", time: Date = base, usage: Usage? = nil, costUSD: Double? = 0.001,
        outcome: String = "ok", metadata: JSONValue? = nil
    ) -> LedgerRow {
        LedgerRow(
            time: time.addingTimeInterval(Double(n)), requestID: "req-\(n)", agent: agent, peerUID: 1000,
            peerPID: Int32(4000 + n), provider: provider, model: model, outcome: outcome,
            usage: usage
                ?? Usage(
                    inputTokens: 100 + n, outputTokens: 10 + n, cacheReadTokens: n % 3,
                    cacheWriteTokens: n % 2),
            costUSD: costUSD, ttftMs: 40 + n, latencyMs: 200 + n, attempts: 1, metadata: metadata)
    }

    /// A raw connection on a ledger file, for building old-version files and inspecting pragmas.
    static func rawDatabase(_ path: String) throws -> SQLiteDatabase {
        let db = try SQLiteDatabase(path: path, flags: 0x0000_0002 | 0x0000_0004)  // READWRITE | CREATE
        try db.execute("PRAGMA busy_timeout = 5000")
        return db
    }
}
