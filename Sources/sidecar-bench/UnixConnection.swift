import SidecarEventLoop
import SidecarFraming
import SidecarProtocol

#if canImport(Glibc)
import Glibc
#endif

/// A lean blocking client connection to the sidecar's socket: pre-encoded bytes out, raw message payloads in,
/// one reused read buffer, so the client adds as little as possible to what is measured. (`SidecarClient`
/// allocates a 64 KB buffer per read and parses every message, which would show up in a 20 µs round trip.)
final class UnixConnection {
    let fd: Int32
    private var decoder: FrameDecoder
    /// Allocated on the first read, so ten thousand idle connections cost no buffers.
    private var buffer: [UInt8] = []

    init(path: String, mode: WireMode = .framed) throws {
        decoder = FrameDecoder(maxFrame: 64 << 20, mode: mode)
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket(): \(String(cString: strerror(errno)))") }
        guard let address = UnixSocketAddress(path: path) else {
            close(fd)
            throw BenchError("socket path \(path) is too long")
        }
        let failure = address.connect(fd)
        if let failure {
            let reason = String(cString: strerror(failure))
            close(fd)
            throw BenchError("connect(\(path)): \(reason)")
        }
    }

    deinit { close(fd) }

    /// Encodes `message` for this connection's wire mode.
    func encode(_ message: JSONValue) -> [UInt8] {
        FrameEncoder.encode(message.encoded(), mode: decoder.mode ?? .framed)
    }

    /// Writes all of `bytes`.
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw BenchError("write to the sidecar failed: \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    /// The next message payload (JSON bytes); throws when the sidecar closed the connection.
    func next() throws -> [UInt8] {
        while true {
            if let payload = try decoder.next() { return payload }
            if buffer.isEmpty { buffer = [UInt8](repeating: 0, count: 16384) }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                throw BenchError(
                    n == 0 ? "the sidecar closed the connection" : "read: \(String(cString: strerror(errno)))")
            }
            decoder.append(buffer[0..<n])
        }
    }

    /// The next message, parsed.
    func nextMessage() throws -> JSONValue {
        try JSONValue.parse(next())
    }
}
