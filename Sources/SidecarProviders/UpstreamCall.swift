import Foundation
import SidecarHTTP
import SidecarProtocol

/// One upstream exchange over an `HTTPTransport`, shared by the HTTP providers: sends the request,
/// maps a non-2xx answer to a `ProviderFailure`, and either folds the SSE body into `StreamEvent`s as
/// the bytes arrive or returns the whole JSON document.
struct UpstreamCall: Sendable {
    let transport: any HTTPTransport
    let errors: UpstreamError

    /// Error bodies are read up to this size; the message keeps only the start anyway.
    private static let errorBodyLimit = 64 << 10

    /// Streams the folded events. A producer task sends the request and parses the body incrementally
    /// (one network read is never assumed to hold whole events); terminating the returned stream
    /// cancels that task, which cancels the HTTP request and closes the upstream connection.
    func stream<Folder: StreamFolder>(_ request: HTTPRequest, folder: Folder) -> AsyncThrowingStream<StreamEvent, Error>
    {
        let (stream, continuation) = AsyncThrowingStream<StreamEvent, Error>.makeStream()
        let task = Task {
            do {
                var folder = folder
                var parser = SSEParser()
                let response = try await open(request)
                reading: for try await piece in response.body {
                    for event in try parser.feed(piece) {
                        for output in try folder.fold(event: event.event, data: event.data) {
                            continuation.yield(output)
                        }
                        if folder.isFinished { break reading }
                    }
                }
                if !folder.isFinished {
                    for event in parser.finish() {
                        for output in try folder.fold(event: event.event, data: event.data) {
                            continuation.yield(output)
                        }
                    }
                    for output in try folder.end() { continuation.yield(output) }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: errors.map(error))
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Sends a request and returns its JSON body (the non-streaming mode).
    func json(_ request: HTTPRequest) async throws -> JSONValue {
        do {
            let body = try await open(request).body.collect()
            guard let json = try? JSONValue.parse(body) else { throw errors.malformed("body is not JSON") }
            return json
        } catch {
            throw errors.map(error)
        }
    }

    /// Sends a request whose answer only matters by its status (the health check).
    func check(_ request: HTTPRequest) async throws {
        do {
            _ = try await open(request).body.collect(limit: Self.errorBodyLimit)
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

    private func open(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await transport.send(request)
        guard (200..<300).contains(response.status) else {
            let body = (try? await response.body.collect(limit: Self.errorBodyLimit)) ?? []
            throw errors.http(
                status: response.status, body: body,
                retryAfterMs: RetryAfter.milliseconds(from: response.headers, now: Date()))
        }
        return response
    }
}
