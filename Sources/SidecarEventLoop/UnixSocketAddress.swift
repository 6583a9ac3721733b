#if canImport(Glibc)
import Glibc
#endif

/// A Unix domain socket's address (`sockaddr_un`), for `bind` and `connect`.
public struct UnixSocketAddress: Sendable {
    public let path: String
    private let address: sockaddr_un

    /// The longest path `sun_path` holds, without its terminating zero.
    public static let maxPathLength = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// Nil when `path` is longer than `maxPathLength` bytes.
    public init?(path: String) {
        let bytes = Array(path.utf8)
        guard bytes.count <= Self.maxPathLength else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        self.path = path
        self.address = address
    }

    /// Calls `body` with the address as a `sockaddr` and its length, as `bind` and `connect` take them.
    public func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafePointer(to: address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    /// Connects `fd` (a `SOCK_STREAM` Unix socket); the errno on failure.
    public func connect(_ fd: Int32) -> Int32? {
        withSockaddr { Glibc.connect(fd, $0, $1) } == 0 ? nil : errno
    }
}
