@preconcurrency import Dispatch
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The state of one request on a `URLSessionTransport`: the waiting `send`, the body pieces not yet
/// pulled, the deadlines, and how it ended.
///
/// URLSession calls in from its serial delegate queue; the consumer and the timer call in from anywhere.
/// Every transition happens under `state`'s lock; continuations are resumed and the task is cancelled
/// after the lock is released.
final class URLSessionTransfer: HTTPBodySource, PieceWaiting {
    private let task: URLSessionDataTask
    private let maxBufferedBytes: Int
    private let timerQueue: DispatchQueue
    private let state: Mutex<State>

    private struct State {
        var head: CheckedContinuation<HTTPResponse, Error>?
        var reader: CheckedContinuation<[UInt8]?, Error>?
        var buffered = PieceQueue()
        /// Set once: nil while the exchange runs, then `.success` for a complete body or the failure.
        var outcome: Result<Void, HTTPTransportError>?
        /// Also where the transfer records being connected, the head's arrival and the last body piece.
        /// Its clock starts in `start`.
        var deadlines: ExchangeDeadlines
        var timer: DeadlineTimer?
        /// Nobody reads any more: pieces are dropped while the grace period runs.
        var abandoned = false
    }

    /// How long an abandoned body may still complete on its own before the request is cancelled. A reader
    /// that stops at the last SSE event usually leaves only the chunked terminator in flight; letting it
    /// arrive keeps the connection (and its TLS session) in the pool instead of closing it.
    static let abandonGrace: DispatchTimeInterval = .milliseconds(250)

    init(task: URLSessionDataTask, timeouts: HTTPTimeouts, maxBufferedBytes: Int, timerQueue: DispatchQueue) {
        self.task = task
        self.maxBufferedBytes = maxBufferedBytes
        self.timerQueue = timerQueue
        state = Mutex(State(deadlines: ExchangeDeadlines(timeouts: timeouts, startedAt: 0, connected: false)))
    }

    // MARK: Caller side

    /// Starts the task and waits for the response head.
    func start() async throws -> HTTPResponse {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, Error>) in
                let failure: HTTPTransportError? = state.withLock { state in
                    if case .failure(let error) = state.outcome { return error }
                    state.head = continuation
                    state.deadlines.startedAt = DispatchTime.now().uptimeNanoseconds
                    state.timer = DeadlineTimer(state.deadlines, queue: timerQueue) { [weak self] in
                        self?.checkDeadlines()
                    }
                    return nil
                }
                if let failure {
                    continuation.resume(throwing: failure)
                } else {
                    task.resume()
                }
            }
        } onCancel: {
            fail(.cancelled)
        }
    }

    func next() async throws -> [UInt8]? {
        let ready: Result<[UInt8]?, HTTPTransportError>? = state.withLock { state in takePiece(&state) }
        if let ready { return try ready.get() }
        return try await waitForPiece()
    }

    func takePieceOrKeep(_ reader: CheckedContinuation<[UInt8]?, Error>) -> Result<[UInt8]?, HTTPTransportError>? {
        state.withLock { state in takePiece(&state) ?? state.reader.keep(reader) }
    }

    /// Ends reading without cancelling at once: see `abandonGrace`. Cancelling the reading task still
    /// cancels immediately.
    func abandon() {
        let running: Bool = state.withLock { state in
            guard state.outcome == nil, !state.abandoned else { return false }
            state.abandoned = true
            state.buffered.removeAll()
            return true
        }
        guard running else { return }
        timerQueue.asyncAfter(deadline: .now() + Self.abandonGrace) { [self] in fail(.cancelled) }
    }

    /// A buffered piece, or the outcome once the buffer is drained, or nil to wait.
    private func takePiece(_ state: inout State) -> Result<[UInt8]?, HTTPTransportError>? {
        if let piece = state.buffered.removeFirst() {
            return .success(piece)
        }
        switch state.outcome {
        case .none: return nil
        case .success: return .success(nil)
        case .failure(let error): return .failure(error)
        }
    }

    // MARK: URLSession side

    func didSendBodyData() {
        state.withLock { $0.deadlines.connected = true }
    }

    func didReceive(response: HTTPURLResponse) {
        let continuation: CheckedContinuation<HTTPResponse, Error>? = state.withLock { state in
            guard state.outcome == nil, let head = state.head else { return nil }
            state.head = nil
            state.deadlines.connected = true
            state.deadlines.headReceived = true
            state.deadlines.lastActivity = DispatchTime.now().uptimeNanoseconds
            state.timer?.rearm(state.deadlines)
            return head
        }
        // Only the first head counts; building a body for a later one would abandon (cancel) the transfer.
        guard let continuation else { return }
        var headers: [String: String] = [:]
        for (name, value) in response.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        // libcurl asked for and already decoded any content coding: the body handed on is identity-coded.
        headers["content-encoding"] = nil
        continuation.resume(
            returning: HTTPResponse(status: response.statusCode, headers: headers, body: HTTPBody(source: self)))
    }

    func didReceive(data: Data) {
        let piece = [UInt8](data)
        enum Action {
            case none
            case deliver(CheckedContinuation<[UInt8]?, Error>)
            case overflow
        }
        let action: Action = state.withLock { state in
            guard state.outcome == nil, !state.abandoned else { return .none }
            state.deadlines.lastActivity = DispatchTime.now().uptimeNanoseconds
            if let reader = state.reader {
                state.reader = nil
                return .deliver(reader)
            }
            state.buffered.append(piece)
            return state.buffered.bytes > maxBufferedBytes ? .overflow : .none
        }
        switch action {
        case .none: break
        case .deliver(let reader): reader.resume(returning: piece)
        case .overflow:
            fail(.connectionLost("the reader fell more than \(maxBufferedBytes) bytes behind the response body"))
        }
    }

    func didComplete(error: Error?) {
        let result: Result<Void, HTTPTransportError>
        if let error {
            let headReceived = state.withLock { $0.deadlines.headReceived }
            result = .failure(HTTPTransportError(completionError: error, afterHead: headReceived))
        } else {
            result = .success(())
        }
        finish(result, cancelTask: false)
    }

    // MARK: Ending

    /// Ends the exchange with `error` (a no-op once ended) and cancels the task, which closes its connection.
    func fail(_ error: HTTPTransportError) {
        finish(.failure(error), cancelTask: true)
    }

    private func finish(_ proposed: Result<Void, HTTPTransportError>, cancelTask: Bool) {
        typealias Ended = (
            result: Result<Void, HTTPTransportError>, head: CheckedContinuation<HTTPResponse, Error>?,
            reader: CheckedContinuation<[UInt8]?, Error>?, readerResult: Result<[UInt8]?, HTTPTransportError>?
        )
        let ended: Ended? = state.withLock { state in
            guard state.outcome == nil else { return nil }
            var result = proposed
            if case .success = result, !state.deadlines.headReceived {
                result = .failure(.connectionFailed("the connection closed before a response arrived"))
            }
            state.outcome = result
            if case .failure(.cancelled) = result {
                state.buffered.removeAll()
            }
            state.timer?.cancel()
            state.timer = nil
            let ended: Ended = (result, state.head, state.reader, state.reader == nil ? nil : takePiece(&state))
            state.head = nil
            state.reader = nil
            return ended
        }
        guard let ended else { return }
        if let head = ended.head, case .failure(let error) = ended.result { head.resume(throwing: error) }
        if let reader = ended.reader, let result = ended.readerResult {
            reader.resume(with: result.mapError { $0 as Error })
        }
        if cancelTask { task.cancel() }
    }

    // MARK: Deadlines

    private func checkDeadlines() {
        let expired: String? = state.withLock { state in
            guard state.outcome == nil else { return nil }
            return state.timer?.expiredLimit(state.deadlines)
        }
        if let expired { fail(.timedOut(expired)) }
    }
}
