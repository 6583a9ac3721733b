import Foundation
import Glibc

/// A one-thread HTTP server on 127.0.0.1 that plays fixed raw responses, for wire cases the simulated
/// upstream does not produce: connection `i` (in accept order) answers the requests on it with
/// `script[i]`, one response per request, then closes. Requests must carry a Content-Length body.
final class ScriptedServer: @unchecked Sendable {
    let port: UInt16
    private let fd: Int32
    private let script: [[String]]

    init(_ script: [[String]]) throws {
        self.script = script
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(fd, address, length) == 0 && getsockname(fd, address, &length) == 0 && listen(fd, 16) == 0
            }
        }
        guard fd >= 0, listening else {
            if fd >= 0 { close(fd) }
            throw CocoaError(.fileWriteUnknown)
        }
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    deinit { close(fd) }

    var url: URL {
        URL(string: "http://127.0.0.1:\(port)/v1/messages") ?? URL(fileURLWithPath: "/")
    }

    private func serve() {
        for responses in script {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            for response in responses {
                guard readRequest(client) else { break }
                let bytes = Array(response.utf8)
                _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
            shutdown(client, Int32(SHUT_RDWR))
            close(client)
        }
    }

    /// Reads one request head and its Content-Length body; false at end of stream.
    private func readRequest(_ client: Int32) -> Bool {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let end = data.firstRange(of: [13, 10, 13, 10])?.upperBound {
                let head = String(decoding: data[..<end], as: UTF8.self).lowercased()
                let length =
                    head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if data.count - end >= length { return true }
            }
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return false }
            data.append(contentsOf: buffer[0..<count])
        }
    }
}
