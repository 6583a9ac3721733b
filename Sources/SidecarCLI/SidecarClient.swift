import Foundation
import SidecarEventLoop
import SidecarFraming
import SidecarProtocol

#if canImport(Glibc)
import Glibc
#endif

/// A blocking client for the sidecar's socket, used by the CLI commands (`call`, `status`, `usage`, `demo`)
/// and by the end-to-end tests.
public final class SidecarClient {
    public struct ClientError: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) { self.description = description }
    }

    public let path: String
    private let fd: Int32
    private var decoder: FrameDecoder
    private let mode: WireMode

    /// Connects to the socket at `path`. The error says how to start the sidecar when nobody listens.
    public init(path: String, mode: WireMode = .framed, maxFrame: Int = 64 << 20) throws {
        self.path = path
        self.mode = mode
        decoder = FrameDecoder(maxFrame: maxFrame, mode: mode)
        fd = try Self.connect(path)
    }

    /// A connected socket. Built before `init` stores it, so a failed connect closes the fd exactly once
    /// (a throwing init of a fully initialised object would also run `deinit`).
    private static func connect(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ClientError(description: "socket(): \(String(cString: strerror(errno)))") }
        guard let address = UnixSocketAddress(path: path) else {
            close(fd)
            throw ClientError(description: "socket path \(path) is too long")
        }
        let failure = address.connect(fd)
        if let failure {
            let reason = String(cString: strerror(failure))
            close(fd)
            throw ClientError(
                description: """
                    cannot connect to the sidecar at \(path): \(reason).
                    Is it running? Start it with `provider-sidecar serve`, or point --socket / PROVIDER_SIDECAR_SOCKET at its socket.
                    """)
        }
        return fd
    }

    deinit { close(fd) }

    /// Sends one message (a JSON object).
    public func send(_ message: JSONValue) throws {
        try sendRaw(FrameEncoder.encode(message.encoded(), mode: mode))
    }

    /// Sends bytes as they are (tests use this for malformed input).
    public func sendRaw(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else {
                throw ClientError(description: "write to \(path) failed: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    /// Half-closes or fully closes the connection.
    public func shutdownWrite() { Glibc.shutdown(fd, Int32(SHUT_WR)) }

    /// The next message from the sidecar; nil when it closed the connection.
    public func receive() throws -> JSONValue? {
        while true {
            if let payload = try decoder.next() { return try JSONValue.parse(payload) }
            let n = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32 * 1024) { buffer in
                let n = read(fd, buffer.baseAddress, buffer.count)
                if n > 0 { decoder.append(UnsafeBufferPointer(rebasing: buffer[0..<n])) }
                return n
            }
            if n == 0 { return nil }
            guard n > 0 else {
                if errno == EINTR { continue }
                throw ClientError(description: "read from \(path) failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Sends a request and returns the first reply carrying its id.
    public func request(_ message: JSONValue) throws -> JSONValue {
        try send(message)
        let id = message["id"]
        while let reply = try receive() {
            if reply["id"] == id { return reply }
        }
        throw ClientError(description: "the sidecar closed the connection before answering")
    }

    /// Reads messages until the terminal (`done` or `error`) of request `id`; returns its chunks and terminal.
    /// Messages of other requests are skipped.
    public func collect(_ id: String) throws -> (chunks: [JSONValue], terminal: JSONValue) {
        var chunks: [JSONValue] = []
        while let message = try receive() {
            guard message["id"]?.stringValue == id else { continue }
            if message["type"] == "chunk" {
                chunks.append(message)
            } else {
                return (chunks, message)
            }
        }
        throw ClientError(description: "the sidecar closed the connection before the answer to \(id) ended")
    }
}
