import Foundation
import Glibc

/// Why a raw HTTP exchange failed.
public struct RawHTTPError: Error, CustomStringConvertible {
    public var description: String
}

/// A response read by `RawHTTPConnection`, with its body as it came off the wire.
public struct RawHTTPResponse {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    /// The decoded body (chunks joined).
    public var body: [UInt8]
    /// The body's HTTP chunks, one entry per chunk (empty for a Content-Length body).
    public var chunks: [[UInt8]]
    /// False when the server closed the connection before the body ended.
    public var complete: Bool

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public var bodyJSON: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }
}

/// A tiny blocking HTTP/1.1 client over one TCP connection to 127.0.0.1, so tests see the exact bytes a server
/// sends (chunk boundaries, line endings) and control the connection's lifetime (keep-alive, disconnects).
public final class RawHTTPConnection {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var closed = false

    /// Connects to 127.0.0.1:`port`. Reads give up after `readTimeout` seconds so a broken test cannot hang.
    public init(port: UInt16, readTimeout: Int = 30) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw RawHTTPError(description: "socket failed") }
        var timeout = timeval(tv_sec: readTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            throw RawHTTPError(description: "connect to port \(port) failed")
        }
    }

    deinit {
        close()
    }

    public func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    /// Writes raw bytes.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { throw RawHTTPError(description: "send failed") }
            offset += written
        }
    }

    /// Writes a request with a Content-Length body.
    public func sendRequest(
        method: String = "POST", path: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) throws {
        var head = "\(method) \(path) HTTP/1.1\r\nhost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if method != "GET" || !body.isEmpty { head += "content-length: \(body.count)\r\n" }
        try send(Array((head + "\r\n").utf8) + body)
    }

    /// Sends a request and reads the whole response.
    public func exchange(
        method: String = "POST", path: String, headers: [(String, String)] = [], body: String = ""
    ) throws -> RawHTTPResponse {
        try sendRequest(method: method, path: path, headers: headers, body: Array(body.utf8))
        return try readResponse()
    }

    /// Reads one response: the head, then a chunked or Content-Length body (interim 1xx responses skipped).
    public func readResponse() throws -> RawHTTPResponse {
        var (status, headers) = try readHead()
        while (100..<200).contains(status) { (status, headers) = try readHead() }
        var response = RawHTTPResponse(status: status, headers: headers, body: [], chunks: [], complete: true)
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            while true {
                guard let chunk = try readChunk() else { break }
                if chunk.isEmpty { return response }
                response.chunks.append(chunk)
                response.body += chunk
            }
            response.complete = false
        } else {
            let length = Int(headers["content-length"] ?? "0") ?? 0
            response.complete = try fill(length)
            response.body = Array(buffer.prefix(length))
            buffer.removeFirst(min(length, buffer.count))
        }
        return response
    }

    /// Reads a status line and headers.
    public func readHead() throws -> (status: Int, headers: [String: String]) {
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw RawHTTPError(description: "bad status line \(statusLine)")
        }
        var headers: [String: String] = [:]
        while true {
            let line = try readLine()
            if line.isEmpty { return (status, headers) }
            guard let colon = line.firstIndex(of: ":") else { throw RawHTTPError(description: "bad header \(line)") }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
    }

    /// The next chunk of a chunked body: its bytes, an empty array for the last chunk, nil if the connection
    /// closed first.
    public func readChunk() throws -> [UInt8]? {
        guard let sizeLine = try? readLine() else { return nil }
        guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else {
            throw RawHTTPError(description: "bad chunk size \(sizeLine)")
        }
        guard try fill(size + 2) else { return nil }
        let chunk = Array(buffer[0..<size])
        buffer.removeFirst(size + 2)
        return chunk
    }

    /// True once the server has closed or reset the connection; false if data arrives or the read timeout
    /// passes first.
    public func serverClosed() -> Bool {
        guard buffer.isEmpty else { return false }
        let count = receiveMore()
        return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    private func readLine() throws -> String {
        while true {
            if let index = buffer.indices.dropLast().first(where: { buffer[$0] == 13 && buffer[$0 + 1] == 10 }) {
                let line = String(decoding: buffer[0..<index], as: UTF8.self)
                buffer.removeFirst(index + 2)
                return line
            }
            guard receiveMore() > 0 else { throw RawHTTPError(description: "connection closed") }
        }
    }

    private func fill(_ count: Int) throws -> Bool {
        while buffer.count < count {
            guard receiveMore() > 0 else { return false }
        }
        return true
    }

    private func receiveMore() -> Int {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            if count > 0 { buffer += chunk[0..<count] }
            return count
        }
    }
}
