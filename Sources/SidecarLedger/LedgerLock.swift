import Foundation
import Glibc
import Synchronization

/// An exclusive `flock` on `<ledger>-lock`, held while a writable `Ledger` is open, so two sidecars
/// never share one ledger (their budgets would each see only half the spending).
///
/// A separate file, not the database itself: closing any descriptor of the database file drops every
/// POSIX lock this process holds on it, including SQLite's own.
final class LedgerLock: Sendable {
    private let fd: Mutex<Int32>

    private init(fd: Int32) { self.fd = Mutex(fd) }

    deinit { release() }

    /// Checks the directory, takes the lock, and creates the ledger file with mode 0600 when it does not exist.
    static func acquire(ledgerPath path: String) throws(LedgerError) -> LedgerLock {
        let directory = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !directory.isEmpty,
            !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue
        {
            throw .directoryMissing(path: path, directory: directory)
        }
        let fd = Glibc.open(path + "-lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw openError(path: path, file: path + "-lock", errno: errno) }
        let lock = LedgerLock(fd: fd)
        try lock.take(path: path)
        if access(path, F_OK) != 0 {
            let created = Glibc.open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard created >= 0 else { throw openError(path: path, file: path, errno: errno) }
            Glibc.close(created)
        }
        return lock
    }

    /// Takes the lock, waiting up to half a second: a lock just released can still be held for a moment by
    /// a child process forked before it closed its copy of the descriptor (it goes at the child's exec). A
    /// sidecar that really holds the ledger holds it for longer, and the caller gets `locked`.
    private func take(path: String) throws(LedgerError) {
        let fd = fd.withLock { $0 }
        for attempt in 0..<50 {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return }
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                throw .openFailed(path: path, detail: "flock \(path)-lock: \(String(cString: strerror(code)))")
            }
            if attempt < 49 { usleep(10_000) }
        }
        throw .locked(path: path)
    }

    func release() {
        fd.withLock { fd in
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
        }
    }

    private static func openError(path: String, file: String, errno code: Int32) -> LedgerError {
        let reason = "\(file): \(String(cString: strerror(code)))"
        switch code {
        case EACCES, EPERM, EROFS: return .readOnly(path: path, detail: reason)
        default: return .openFailed(path: path, detail: reason)
        }
    }
}
