import Foundation
import SidecarHTTP
import SidecarProtocol

/// One upstream exchange over an `HTTPTransport`, shared by the HTTP providers: sends the request,
/// maps a non-2xx answer to a `ProviderFailure`, and either folds the SSE body into `StreamEvent`s as
/// the bytes arrive or returns the whole JSON document.
struct UpstreamCall: Sendable {
    let transport: any HTTPTransport
    let errors: UpstreamError
    /// Caps a non-streaming body and one streamed event's data (`ProviderSettings.maxResponseBytes`).
    let maxResponseBytes: Int

    init(transport: any HTTPTransport, errors: UpstreamError, maxResponseBytes: Int) {
        self.transport = transport
        self.errors = errors
        self.maxResponseBytes = maxResponseBytes
    }

    /// The exchange of the provider `settings` describe, of kind `kind`: its errors name the provider and
    /// redact its key; its answers are capped at `settings.maxResponseBytes`.
    init(settings: ProviderSettings, kind: String, transport: any HTTPTransport) {
        self.init(
            transport: transport, errors: UpstreamError(provider: settings.name, kind: kind, secret: settings.apiKey),
            maxResponseBytes: settings.maxResponseBytes)
    }

    /// Error bodies are read up to this size; the message keeps only the start anyway.
    private static let errorBodyLimit = 1 << 20

    /// Streams the folded events, read in the consuming task (`SSEEventReader`): one network read is never
    /// assumed to hold whole events; ending or dropping the stream, or cancelling its consumer, ends the
    /// HTTP request and closes the upstream connection unless the rest of the response was already there.
    func stream<Folder: StreamFolder>(_ request: HTTPRequest, folder: Folder) -> AsyncThrowingStream<StreamEvent, Error>
    {
        let reader = SSEEventReader(call: self, request: request, folder: folder)
        return AsyncThrowingStream { try await reader.next() }
    }

    /// Sends a request and returns its JSON body (the non-streaming mode).
    func json(_ request: HTTPRequest) async throws -> JSONValue {
        do {
            let body = try await open(request).body.collect(limit: maxResponseBytes)
            guard let json = try? JSONValue.parse(body) else { throw errors.malformed("body is not JSON") }
            return json
        } catch {
            throw errors.map(error)
        }
    }

    /// Sends a request whose answer only matters by its status (the health check).
    func check(_ request: HTTPRequest) async throws {
        do {
            _ = try await open(request).body.collect(limit: maxResponseBytes)
        } catch {
            throw errors.map(error)
        }
    }

    /// Configured headers replace defaults of the same name (case-insensitively) and add the rest.
    static func headers(_ defaults: [(name: String, value: String)], extra: [String: String])
        -> [(name: String, value: String)]
    {
        let overridden = Set(extra.keys.map { $0.lowercased() })
        return defaults.filter { !overridden.contains($0.name.lowercased()) }
            + extra.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
    }

    /// Sends the request; a non-2xx answer, or a 2xx one with a content coding, throws its `ProviderFailure`.
    func open(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await transport.send(request)
        guard (200..<300).contains(response.status) else { throw await failure(of: response) }
        if let problem = errors.encodingProblem(response) { throw problem }
        return response
    }

    private func failure(of response: HTTPResponse) async -> ProviderFailure {
        let retryAfterMs = RetryAfter.milliseconds(from: response.headers, now: Date())
        do {
            let body = try await response.body.collect(limit: Self.errorBodyLimit)
            return errors.http(status: response.status, body: body, retryAfterMs: retryAfterMs)
        } catch let tooLarge as HTTPBodyTooLarge {
            return errors.http(
                status: response.status, unreadBody: "error body larger than \(tooLarge.limit) bytes, not read",
                retryAfterMs: retryAfterMs)
        } catch {
            return errors.http(status: response.status, body: [], retryAfterMs: retryAfterMs)
        }
    }
}
