@preconcurrency import Dispatch
import Synchronization

/// One request/response on a `SocketConnection`: the waiting `send`, the response parser, the body pieces
/// not yet pulled, the deadlines, and how it ended.
///
/// Socket reads arrive on the event loop's thread; the consumer and the timer call in from anywhere. Every
/// transition happens under `state`'s lock (which may take the connection's lock inside it, never the other
/// way round); continuations are resumed and the connection is pooled or closed after the lock is released.
///
/// Backpressure is real: when more than `maxBufferedBytes` of body wait unread, the connection stops reading
/// from the socket (TCP then slows the server down) until the reader has drained half of it.
final class SocketExchange: HTTPBodySource, PieceWaiting {
    private let connection: SocketConnection
    private let pool: ConnectionPool
    private let maxBufferedBytes: Int
    /// The connection served an earlier exchange: a close before any response byte means the server dropped
    /// it while idle, and the request is retried once on a new connection.
    private let reused: Bool
    private let timerQueue: DispatchQueue
    private let state: Mutex<State>

    private struct State {
        var parser: HTTPResponseParser
        var head: CheckedContinuation<HTTPResponse, Error>?
        var reader: CheckedContinuation<[UInt8]?, Error>?
        var buffered = PieceQueue()
        /// Set once: nil while the exchange runs, then `.success` for a complete body or the failure.
        var outcome: Result<Void, HTTPTransportError>?
        /// Also where the exchange records the head's arrival, the last read and whether reading is paused.
        var deadlines: ExchangeDeadlines
        var timer: DeadlineTimer?
        var receivedAny = false
        /// Nobody reads any more: pieces are dropped.
        var abandoned = false
        /// The exchange ended because the server had closed the reused connection before it was used.
        var stale = false
    }

    /// Thrown to `send` when a reused connection turns out to have been closed by the server.
    struct StaleConnection: Error {}

    /// What `start` throws when the exchange ended before it began: the server closed a reused connection
    /// (retried), the connection failed, or bytes nobody asked for made a whole response.
    private static func endedBeforeStart(_ outcome: Result<Void, HTTPTransportError>, stale: Bool) -> any Error {
        if stale { return StaleConnection() }
        switch outcome {
        case .failure(let error): return error
        case .success: return HTTPTransportError.malformedResponse("a response arrived before the request was sent")
        }
    }

    init(
        connection: SocketConnection, pool: ConnectionPool, timeouts: HTTPTimeouts, startedAt: UInt64,
        requestIsHead: Bool, reused: Bool, maxBufferedBytes: Int, timerQueue: DispatchQueue
    ) {
        self.connection = connection
        self.pool = pool
        self.reused = reused
        self.maxBufferedBytes = maxBufferedBytes
        self.timerQueue = timerQueue
        let deadlines = ExchangeDeadlines(timeouts: timeouts, startedAt: startedAt, connected: true)
        self.state = Mutex(State(parser: HTTPResponseParser(requestIsHead: requestIsHead), deadlines: deadlines))
    }

    // MARK: Caller side

    /// Writes the request and waits for the response head. The connection must be attached to this exchange.
    func start(_ request: [UInt8]) async throws -> HTTPResponse {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, Error>) in
                // The request is written before the timer exists, under the lock the timer's expiry needs, so a
                // deadline that passed while connecting cannot close the connection before the upstream has it.
                enum Start {
                    case waiting
                    case ended(any Error)
                    case writeFailed(Int32)
                }
                let started: Start = state.withLock { state in
                    if let outcome = state.outcome { return .ended(Self.endedBeforeStart(outcome, stale: state.stale)) }
                    state.head = continuation
                    if let code = connection.write(request) { return .writeFailed(code) }
                    state.timer = DeadlineTimer(state.deadlines, queue: timerQueue) { [weak self] in
                        self?.checkDeadlines()
                    }
                    return .waiting
                }
                switch started {
                case .waiting: break
                case .ended(let error): continuation.resume(throwing: error)
                case .writeFailed(let code): closedByPeer(errno: code)
                }
            }
        } onCancel: {
            fail(.cancelled)
        }
    }

    func next() async throws -> [UInt8]? {
        if let ready = state.withLock({ state in takePiece(&state) }) { return try ready.get() }
        // Data that already arrived is read here, without waiting for the event loop and a thread hop.
        if !Task.isCancelled, connection.readNow(for: self),
            let ready = state.withLock({ state in takePiece(&state) })
        {
            return try ready.get()
        }
        return try await waitForPiece()
    }

    func takePieceOrKeep(_ reader: CheckedContinuation<[UInt8]?, Error>) -> Result<[UInt8]?, HTTPTransportError>? {
        state.withLock { state in takePiece(&state) ?? state.reader.keep(reader) }
    }

    /// Nobody will read any more. If the rest of the response is already in the socket, it is read now and
    /// the connection stays in the pool (a reader that stops at the last SSE event usually leaves only the
    /// chunked terminator behind); otherwise the connection closes at once.
    func abandon() {
        let running: Bool = state.withLock { state in
            guard state.outcome == nil, !state.abandoned else { return false }
            state.abandoned = true
            state.buffered.removeAll()
            return true
        }
        guard running else { return }
        connection.loop.execute { [self] in
            var reads = 0
            while reads < 4, isRunning, connection.readNow(for: self) { reads += 1 }
            fail(.cancelled)
        }
    }

    private var isRunning: Bool { state.withLock { $0.outcome == nil } }

    /// A buffered piece, or the outcome once the buffer is drained, or nil to wait.
    private func takePiece(_ state: inout State) -> Result<[UInt8]?, HTTPTransportError>? {
        if let piece = state.buffered.removeFirst() {
            if state.deadlines.readingPaused, state.buffered.bytes <= maxBufferedBytes / 2, state.outcome == nil {
                state.deadlines.readingPaused = false
                state.deadlines.lastActivity = DispatchTime.now().uptimeNanoseconds
                connection.setReadingPaused(false)
                state.timer?.rearm(state.deadlines)
            }
            return .success(piece)
        }
        switch state.outcome {
        case .none: return nil
        case .success: return .success(nil)
        case .failure(let error): return .failure(error)
        }
    }

    // MARK: Socket side

    /// What to do, outside the lock, after a read.
    private struct ReadSteps {
        var head: (CheckedContinuation<HTTPResponse, Error>, HTTPResponseParser.Head)?
        var deliver: CheckedContinuation<[UInt8]?, Error>?
        var complete = false
        var reusable = false
        var failure: HTTPTransportError?
    }

    /// Bytes read from the socket (on the event loop's thread, or by a reader in `readNow`).
    func received(_ bytes: UnsafeBufferPointer<UInt8>) {
        var body: [UInt8] = []
        let steps: ReadSteps? = state.withLock { (state: inout State) -> ReadSteps? in
            guard state.outcome == nil else { return nil }
            var steps = ReadSteps()
            state.receivedAny = true
            state.deadlines.lastActivity = DispatchTime.now().uptimeNanoseconds
            let hadHead = state.deadlines.headReceived
            do {
                try state.parser.feed(bytes, into: &body)
            } catch {
                steps.failure = .malformedResponse((error as? HTTPResponseParser.ParseError)?.reason ?? "unreadable")
                return steps
            }
            if !hadHead, let head = state.parser.head {
                state.deadlines.headReceived = true
                if let continuation = state.head {
                    state.head = nil
                    steps.head = (continuation, head)
                }
                state.timer?.rearm(state.deadlines)
            }
            if !body.isEmpty, !state.abandoned {
                if let reader = state.reader {
                    state.reader = nil
                    steps.deliver = reader
                } else {
                    state.buffered.append(body)
                    if state.buffered.bytes > maxBufferedBytes, !state.deadlines.readingPaused,
                        !state.parser.isComplete
                    {
                        state.deadlines.readingPaused = true
                        connection.setReadingPaused(true)
                    }
                }
            }
            if state.parser.isComplete {
                steps.complete = true
                steps.reusable = state.parser.keepAlive && !state.parser.trailingBytes
            }
            return steps
        }
        guard let steps else { return }
        if let failure = steps.failure {
            fail(failure)
            return
        }
        if let (continuation, head) = steps.head {
            continuation.resume(
                returning: HTTPResponse(status: head.status, headers: head.headers, body: HTTPBody(source: self)))
        }
        if let reader = steps.deliver { reader.resume(returning: body) }
        if steps.complete { finish(.success(()), reusable: steps.reusable) }
    }

    /// The peer closed the connection, or reading or writing failed with `errno` (0 for an orderly close).
    func closedByPeer(errno code: Int32) {
        let (result, stale): (Result<Void, HTTPTransportError>, Bool) = state.withLock { state in
            if code == 0, state.parser.finishAtClose() { return (.success(()), false) }
            let detail =
                (reused ? " on a reused connection" : " on a new connection")
                + (code == 0 ? "" : " (errno \(code))")
            if state.deadlines.headReceived {
                return (.failure(.connectionLost("the connection broke before the body was complete" + detail)), false)
            }
            return (
                .failure(.connectionFailed("the connection broke before the response head" + detail)),
                reused && !state.receivedAny
            )
        }
        finish(result, reusable: false, stale: stale)
    }

    // MARK: Ending

    /// Ends the exchange with `error` (a no-op once ended) and closes the connection.
    func fail(_ error: HTTPTransportError) {
        finish(.failure(error), reusable: false)
    }

    private func finish(_ result: Result<Void, HTTPTransportError>, reusable: Bool, stale: Bool = false) {
        typealias Ended = (
            head: CheckedContinuation<HTTPResponse, Error>?, reader: CheckedContinuation<[UInt8]?, Error>?,
            readerResult: Result<[UInt8]?, HTTPTransportError>?
        )
        let ended: Ended? = state.withLock { state in
            guard state.outcome == nil else { return nil }
            state.outcome = result
            state.stale = stale
            if case .failure(.cancelled) = result {
                state.buffered.removeAll()
            }
            state.timer?.cancel()
            state.timer = nil
            let ended: Ended = (state.head, state.reader, state.reader == nil ? nil : takePiece(&state))
            state.head = nil
            state.reader = nil
            return ended
        }
        guard let ended else { return }
        if reusable, connection.detach() {
            pool.put(connection)
        } else {
            connection.close()
        }
        if let head = ended.head, case .failure(let error) = result {
            head.resume(throwing: stale ? StaleConnection() : error)
        }
        if let reader = ended.reader, let readerResult = ended.readerResult {
            reader.resume(with: readerResult.mapError { $0 as Error })
        }
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
