import Foundation

/// Where a plain-HTTP request goes and the bytes of its head: `METHOD target HTTP/1.1`, `Host`, the caller's
/// headers, `Content-Length` when there is a body (or the method carries one).
///
/// `Content-Length`, `Transfer-Encoding` and `Connection` from the caller are dropped (the transport frames
/// the body and manages keep-alive itself). Header names must be HTTP tokens and values must not contain
/// CR, LF or NUL, so a configured header can never inject another; errors name the header, never its value.
/// No `Accept-Encoding` is sent: bodies arrive as the server wrote them, uncompressed.
struct RequestHead {
    let host: String
    let port: Int
    /// `host:port`, the pool key.
    let key: String
    let bytes: [UInt8]

    init(_ request: HTTPRequest) throws(HTTPTransportError) {
        guard request.url.scheme?.lowercased() == "http", let host = request.url.host, !host.isEmpty else {
            throw .connectionFailed("unusable URL (plain http with a host expected)")
        }
        guard let method = request.method.utf8.allSatisfy(Self.isTokenByte) ? request.method : nil, !method.isEmpty
        else { throw .connectionFailed("unusable HTTP method") }
        let port = request.url.port ?? 80
        guard (1...65535).contains(port) else { throw .connectionFailed("unusable URL (port out of range)") }
        self.host = host
        self.port = port
        // Bytes, not Foundation's `contains(_: StringProtocol)`, which goes through NSString per request.
        let bracketed = host.utf8.contains(UInt8(ascii: ":")) ? "[\(host)]" : host
        key = "\(bracketed):\(port)"
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        var target = components?.percentEncodedPath ?? "/"
        if target.isEmpty { target = "/" }
        if let query = components?.percentEncodedQuery { target += "?" + query }

        var head = "\(method) \(target) HTTP/1.1\r\n"
        var hasHost = false
        for header in request.headers {
            guard !header.name.isEmpty, header.name.utf8.allSatisfy(Self.isTokenByte) else {
                throw .connectionFailed("a header name has a character HTTP does not allow")
            }
            guard !header.value.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 }) else {
                throw .connectionFailed("header \(header.name) has a line break or NUL in its value")
            }
            switch header.name.lowercased() {
            case "content-length", "transfer-encoding", "connection": continue
            case "host": hasHost = true
            default: break
            }
            head += "\(header.name): \(header.value)\r\n"
        }
        if !hasHost { head += port == 80 ? "Host: \(bracketed)\r\n" : "Host: \(bracketed):\(port)\r\n" }
        if !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) {
            head += "Content-Length: \(request.body.count)\r\n"
        }
        head += "\r\n"
        bytes = Array(head.utf8) + request.body
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
