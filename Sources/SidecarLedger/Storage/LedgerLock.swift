import Foundation
import Glibc
import Synchronization

/// Exclusive `flock`s held while a writable `Ledger` is open, so two sidecars never share one ledger (their
/// budgets would each see only half the spending).
///
/// Two locks, both `flock` (whole-file, tied to our own open file description):
/// - on `<ledger>-lock`, as every earlier build takes it, so an older sidecar is still kept out;
/// - on the database file itself, so deleting the lock file (a cleanup script, `rm ledger.sqlite-*`) does not
///   let a second sidecar in: it would create a fresh lock file and lock it, but the database file's lock
///   still holds.
///
/// `flock`, not `fcntl`: closing any descriptor of a file drops every POSIX (`fcntl`) lock this process holds
/// on it, including SQLite's own, whereas a `flock` belongs to the descriptor it was taken on and does not
/// interact with SQLite's POSIX locks (on local file systems; NFS emulates `flock` with POSIX locks, and a
/// ledger does not belong on NFS anyway). The database descriptor stays open until `release()`, which
/// `Ledger.close()` calls after SQLite's connections are closed, so SQLite's locks are never dropped early.
///
/// The database descriptor also records the file's identity, so the ledger notices the file being deleted
/// or replaced under it (`LedgerFileIdentity`).
final class LedgerLock: Sendable {
    private let descriptors: Mutex<[Int32]>
    /// The database file as locked.
    let identity: LedgerFileIdentity

    private init(lockFile: Int32, database: Int32, identity: LedgerFileIdentity) {
        descriptors = Mutex([lockFile, database])
        self.identity = identity
    }

    deinit { release() }

    /// Checks the directory, takes both locks, and creates the ledger file with mode 0600 when it does not exist.
    static func acquire(ledgerPath path: String) throws(LedgerError) -> LedgerLock {
        let directory = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !directory.isEmpty,
            !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue
        {
            throw .directoryMissing(path: path, directory: directory)
        }
        let lockFile = try openFile(path + "-lock", ledgerPath: path)
        do throws(LedgerError) {
            try take(lockFile, file: path + "-lock", ledgerPath: path)
            let database = try openFile(path, ledgerPath: path)
            do throws(LedgerError) {
                try take(database, file: path, ledgerPath: path)
                return LedgerLock(lockFile: lockFile, database: database, identity: try identity(of: database, path))
            } catch {
                Glibc.close(database)
                throw error
            }
        } catch {
            Glibc.close(lockFile)
            throw error
        }
    }

    func release() {
        descriptors.withLock { fds in
            for fd in fds { Glibc.close(fd) }
            fds = []
        }
    }

    /// Opens (creating with mode 0600) `file` for reading and writing.
    private static func openFile(_ file: String, ledgerPath path: String) throws(LedgerError) -> Int32 {
        let fd = Glibc.open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw openError(path: path, file: file, errno: errno) }
        return fd
    }

    /// Takes the lock, waiting up to half a second: a lock just released can still be held for a moment by
    /// a child process forked before it closed its copy of the descriptor (it goes at the child's exec). A
    /// sidecar that really holds the ledger holds it for longer, and the caller gets `locked`.
    private static func take(_ fd: Int32, file: String, ledgerPath path: String) throws(LedgerError) {
        for attempt in 0..<50 {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return }
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                throw .openFailed(path: path, detail: "flock \(file): \(String(cString: strerror(code)))")
            }
            if attempt < 49 { usleep(10_000) }
        }
        throw .locked(path: path)
    }

    private static func identity(of fd: Int32, _ path: String) throws(LedgerError) -> LedgerFileIdentity {
        guard let identity = LedgerFileIdentity(descriptor: fd) else {
            throw .openFailed(path: path, detail: "fstat: \(String(cString: strerror(errno)))")
        }
        return identity
    }

    private static func openError(path: String, file: String, errno code: Int32) -> LedgerError {
        let reason = "\(file): \(String(cString: strerror(code)))"
        switch code {
        case EACCES, EPERM, EROFS: return .readOnly(path: path, detail: reason)
        default: return .openFailed(path: path, detail: reason)
        }
    }
}
