import CSQLite
import Foundation
import Synchronization

/// Read access to a ledger: usage reports, rows and exports.
///
/// Every `Ledger` has several: one for its synchronous queries and one per reader thread (`Ledger.read`).
/// `LedgerReader.open` reads a ledger file directly without taking the writer lock, so
/// `provider-sidecar usage --ledger FILE` works whether or not a sidecar is running on that file; WAL lets
/// it read committed rows while the sidecar writes.
public final class LedgerReader: Sendable {
    public let path: String
    let db: Mutex<SQLiteDatabase>

    init(path: String, db: SQLiteDatabase) {
        self.path = path
        self.db = Mutex(db)
    }

    /// Opens an existing ledger read-only. It must be at this build's schema version (a sidecar
    /// migrates its ledger when it starts).
    public static func open(path: String) throws(LedgerError) -> LedgerReader {
        guard FileManager.default.fileExists(atPath: path) else { throw .missing(path: path) }
        do {
            let db = try SQLiteDatabase(path: path, flags: SQLITE_OPEN_READONLY)
            try db.execute("PRAGMA busy_timeout = 2000")
            let version = try db.integer("PRAGMA user_version")
            if version > Schema.currentVersion {
                throw LedgerError.newerSchema(path: path, found: version, supported: Schema.currentVersion)
            }
            if version < Schema.currentVersion {
                throw LedgerError.openFailed(
                    path: path,
                    detail: "schema version \(version) predates this build's \(Schema.currentVersion); "
                        + "start provider-sidecar serve on it once to migrate it")
            }
            return LedgerReader(path: path, db: db)
        } catch {
            throw LedgerError.classify(error, path: path)
        }
    }

    /// Closes the connection; later queries fail with `queryFailed`.
    public func close() {
        db.withLock { $0.close() }
    }
}
