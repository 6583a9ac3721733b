import Dispatch
import Foundation
import SidecarHTTP

/// The direct baseline through one of the sidecar's own HTTP clients (`SocketHTTPTransport`, which the
/// sidecar uses for these http:// URLs, or `URLSessionTransport`, which it uses for https://), driven from
/// this blocking thread through a `Task`. Between the raw socket and the sidecar, it shows how much of the
/// sidecar's overhead is the HTTP client itself.
final class TransportProbe: Sendable {
    private let transport: any HTTPTransport

    init(_ transport: any HTTPTransport) {
        self.transport = transport
    }

    /// Sends `request` and reads the whole body; returns the nanoseconds from just before the send to the
    /// piece that completed the first occurrence of `marker`.
    func timeToMarker(_ request: HTTPRequest, marker: [UInt8]) throws -> UInt64 {
        let outcome = Outcome()
        let finished = DispatchSemaphore(value: 0)
        let transport = transport
        let start = Monotonic.now()
        Task {
            defer { finished.signal() }
            do {
                let response = try await transport.send(request)
                guard response.status == 200 else { throw BenchError("upstream answered \(response.status)") }
                var body: [UInt8] = []
                var found: UInt64?
                for try await piece in response.body {
                    let now = Monotonic.now()
                    let searchFrom = max(0, body.count - marker.count)
                    body.append(contentsOf: piece)
                    if found == nil, body[searchFrom...].contains(bytes: marker) { found = now }
                }
                guard let found else { throw BenchError("the response never contained the first delta") }
                outcome.set(.success(found - start))
            } catch {
                outcome.set(.failure(error))
            }
        }
        finished.wait()
        return try outcome.get()
    }

    /// Hands the task's result to the waiting thread.
    private final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<UInt64, Error> = .failure(BenchError("no result"))

        func set(_ value: Result<UInt64, Error>) { lock.withLock { result = value } }
        func get() throws -> UInt64 { try lock.withLock { result }.get() }
    }
}
