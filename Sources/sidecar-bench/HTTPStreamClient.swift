#if canImport(Glibc)
import Glibc
#endif

/// The direct baseline: a minimal HTTP/1.1 client over one keep-alive TCP connection to 127.0.0.1, with
/// nothing between the socket and the clock. It sends a request and reads one chunked streaming response.
final class HTTPStreamClient {
    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 65536)

    init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket(): \(String(cString: strerror(errno)))") }
        var noDelay: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw BenchError("connect(127.0.0.1:\(port)): \(reason)")
        }
    }

    deinit { close(fd) }

    /// Sends `request` and reads the whole response. Returns the nanoseconds from just before the send to
    /// the read that completed the first occurrence of `marker` in the decoded body.
    func timeToMarker(_ request: [UInt8], marker: [UInt8]) throws -> UInt64 {
        let start = Monotonic.now()
        try send(request)
        var head: [UInt8] = []
        var headDone = false
        var chunked = ChunkedDecoder()
        var body: [UInt8] = []
        var found: UInt64?
        while !chunked.finished {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw BenchError("the upstream closed the connection mid-response") }
            let now = Monotonic.now()
            var bytes = buffer[0..<n]
            if !headDone {
                head.append(contentsOf: bytes)
                guard let end = Self.headEnd(head) else { continue }
                guard head.starts(with: Array("HTTP/1.1 200".utf8)) else {
                    throw BenchError("upstream answered: \(String(decoding: head.prefix(200), as: UTF8.self))")
                }
                headDone = true
                bytes = head[end...]
            }
            let searchFrom = max(0, body.count - marker.count)
            body.append(contentsOf: try chunked.feed(bytes))
            if found == nil, body[searchFrom...].contains(bytes: marker) { found = now }
        }
        guard let found else {
            throw BenchError("the response never contained \(String(decoding: marker, as: UTF8.self))")
        }
        return found - start
    }

    private func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw BenchError("write to the upstream failed: \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    /// The index just past the blank line that ends the response head.
    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        let terminator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i..<i + 4].elementsEqual(terminator) { return i + 4 }
        return nil
    }
}
