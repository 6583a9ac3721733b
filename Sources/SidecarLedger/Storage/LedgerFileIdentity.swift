import Glibc

/// The ledger file's identity (device and inode) as opened, to notice the file being deleted or replaced.
///
/// SQLite keeps writing to the inode it opened: after `rm ledger.sqlite` (or a `mv` over it) every commit
/// "succeeds" into a file no one can find again, and the rows are gone at the next start. Comparing the
/// path's current identity with the opened one costs one `stat`, so the ledger checks before every commit
/// batch and on every admission and `status`.
struct LedgerFileIdentity: Sendable, Equatable {
    let device: UInt64
    let inode: UInt64

    init?(descriptor fd: Int32) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// nil while `path` still names the opened file; otherwise what became of it, worded to follow the path
    /// ("was deleted", "was replaced by another file").
    func problem(at path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            return code == ENOENT ? "was deleted" : "cannot be checked (stat: \(String(cString: strerror(code))))"
        }
        if UInt64(info.st_dev) != device || UInt64(info.st_ino) != inode { return "was replaced by another file" }
        return nil
    }
}
