/// Sends plain `http://` requests through one transport and everything else (`https://`) through another:
/// by default `SocketHTTPTransport` for the first (local servers, the simulated upstream) and
/// `URLSessionTransport` for the second (TLS).
public struct RoutingTransport: HTTPTransport {
    public let plain: any HTTPTransport
    public let secure: any HTTPTransport

    public init(plain: any HTTPTransport = SocketHTTPTransport(), secure: any HTTPTransport = URLSessionTransport()) {
        self.plain = plain
        self.secure = secure
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if request.url.scheme?.lowercased() == "http" {
            return try await plain.send(request)
        }
        return try await secure.send(request)
    }
}
