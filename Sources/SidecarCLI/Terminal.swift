#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered writes to stdout and stderr (`print` is fully buffered on a pipe, and the C `stdout` global
/// is not concurrency-safe in Swift 6).
enum Terminal {
    static func out(_ text: String) { writeAll(1, text) }
    static func err(_ text: String) { writeAll(2, text) }

    private static func writeAll(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            offset += n
        }
        bytes.removeAll()
    }
}

/// How a command ended. `usage` (2) means the command line itself was wrong.
enum ExitCode: Int32 {
    case success = 0
    case failure = 1
    case usage = 2
}
