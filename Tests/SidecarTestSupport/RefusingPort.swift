import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP port that refuses connections: a socket bound but never listening. Holding it open keeps
/// any other test (or simulator) from taking the port, unlike stopping a server and reusing its port.
public final class RefusingPort: @unchecked Sendable {
    public struct SetupError: Error {}

    public let port: UInt16
    /// `http://127.0.0.1:PORT`
    public let baseURL: URL
    private let fd: Int32

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound =
            fd >= 0
            && withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                    bind(fd, address, length) == 0 && getsockname(fd, address, &length) == 0
                }
            }
        let port = UInt16(bigEndian: address.sin_port)
        guard bound, let url = URL(string: "http://127.0.0.1:\(port)") else {
            if fd >= 0 { close(fd) }
            throw SetupError()
        }
        self.fd = fd
        self.port = port
        baseURL = url
    }

    deinit { close(fd) }
}
