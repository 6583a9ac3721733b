import SidecarProtocol

/// Why the ledger could not be opened, written or read. Every message names the file and says what to do.
public enum LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// There is no ledger file at the path (read-only opening never creates one).
    case missing(path: String)
    /// The directory that should hold the ledger file does not exist.
    case directoryMissing(path: String, directory: String)
    /// The file (or its directory) cannot be written by this process.
    case readOnly(path: String, detail: String)
    /// Another process (most likely another provider-sidecar) has the ledger open for writing.
    case locked(path: String)
    /// The file is not a SQLite database, or is damaged.
    case corrupt(path: String, detail: String)
    /// The file was written by a newer build whose schema this build does not know.
    case newerSchema(path: String, found: Int, supported: Int)
    /// Opening or migrating failed for another reason.
    case openFailed(path: String, detail: String)
    /// A write transaction failed while running (disk full, I/O error): the rows of that batch are not on disk.
    case writeFailed(path: String, detail: String)
    /// The database file was deleted or replaced while the ledger had it open: rows written now would go to
    /// a file nobody can find, so the ledger refuses to record until the file is back or the sidecar restarts.
    case fileGone(path: String, detail: String)
    /// A query failed.
    case queryFailed(path: String, detail: String)
    /// Too many queries are waiting for the ledger's reader threads; retry shortly.
    case readersBusy(path: String, waiting: Int)
    /// `close()` was called.
    case closed(path: String)

    public var description: String {
        switch self {
        case .missing(let path):
            return "ledger \(path) does not exist; check --ledger or the config's ledger.path"
        case .directoryMissing(let path, let directory):
            return "ledger \(path): directory \(directory) does not exist; create it (mkdir -p \(directory)) "
                + "or point ledger.path / --ledger at an existing directory"
        case .readOnly(let path, let detail):
            return "ledger \(path) is not writable (\(detail)); fix its permissions (chmod 600, owned by the "
                + "sidecar's user) or choose another ledger.path"
        case .locked(let path):
            return "ledger \(path) is locked by another process (another provider-sidecar using the same "
                + "ledger?); stop it, or give each sidecar its own ledger.path"
        case .corrupt(let path, let detail):
            return "ledger \(path) is not a valid SQLite ledger (\(detail)); move it aside "
                + "(mv \(path) \(path).bad) to start a fresh ledger, or restore it from a backup"
        case .newerSchema(let path, let found, let supported):
            return "ledger \(path) has schema version \(found) but this provider-sidecar supports up to "
                + "\(supported); upgrade provider-sidecar or use another ledger.path"
        case .openFailed(let path, let detail):
            return "ledger \(path) could not be opened: \(detail)"
        case .writeFailed(let path, let detail):
            return "ledger \(path): write failed (\(detail)); the usage of this request is not recorded; "
                + "free disk space or fix the file, the sidecar refuses new requests until a write succeeds"
        case .fileGone(let path, let detail):
            return "ledger \(path) \(detail) while the sidecar had it open; usage cannot be recorded, so "
                + "requests are refused: restore the file or restart the sidecar (it opens or creates the file "
                + "at that path again)"
        case .queryFailed(let path, let detail):
            return "ledger \(path): query failed: \(detail)"
        case .readersBusy(let path, let waiting):
            return "ledger \(path): \(waiting) queries are already waiting for a reader; retry shortly"
        case .closed(let path):
            return "ledger \(path) is closed"
        }
    }

    /// The error a client sees when a ledger failure ends or refuses its request: `overloaded` when the
    /// readers are busy, otherwise `ledger_unavailable`, retryable once the operator has fixed the ledger.
    public var sidecarError: SidecarError {
        switch self {
        case .readersBusy: return SidecarError(.overloaded, description)
        default: return SidecarError(.ledgerUnavailable, description)
        }
    }
}
