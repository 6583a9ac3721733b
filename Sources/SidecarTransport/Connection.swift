import SidecarEventLoop
import SidecarFraming
import SidecarProtocol
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One client connection: reads and frames requests, writes replies, owns the connection's in-flight requests.
///
/// Reading happens on the server's event loop thread; cheap requests are answered inline there. Sends may
/// come from any thread: a send writes directly when nothing is queued, else queues the bytes and asks the
/// loop to report the socket writable. Streams call `sendApplyingBackpressure`, which suspends while the
/// output is over its limit; while it is, the connection also stops reading requests, so a client that does
/// not read its replies cannot make the sidecar hold more. A client whose pending output makes no progress
/// for the read timeout is cut off (`Server`'s sweep); one that reads gets every frame, however big.
///
/// Life cycle, one way out: every ending (end-of-file, a failed write, a read error, a timeout, the cap,
/// shutdown) calls `close`, which marks the connection closed once, cancels its requests, and releases the
/// descriptor on the loop's thread, under the state lock, after taking it out of the loop. A send that
/// comes later finds the descriptor gone and writes nothing, so no write can reach a reused number.
public final class Connection: EventHandler, @unchecked Sendable {
    let fd: Int32
    public let number: Int
    let listener: UnixListener
    /// The connecting process, as the kernel reports it.
    public let peer: PeerCredentials?
    /// The agent this connection's listener is bound to (`listen[].agent`), or nil when requests name theirs.
    public var boundAgent: String? { listener.agent }
    private let loop: EventLoop
    private let outputLimit: Int
    private let state: Mutex<State>
    /// Only touched on the loop's thread.
    private var decoder: FrameDecoder
    private weak var server: Server?

    private struct State {
        var registration: EventLoop.Registration?
        var interest: Interest = []
        var output = OutputBuffer()
        /// When pending output last made progress (or became pending); nil while nothing is pending.
        var outputWaitingSince: ContinuousClock.Instant?
        /// Requests are not read while the output is over its limit (until it drains to half).
        var readPaused = false
        /// The client sent end-of-file: nothing more to read, pending replies are still written.
        var inputClosed = false
        var closed = false
        var closeWhenFlushed = false
        var descriptorOpen = true
        var mode: WireMode = .framed
        /// Streams waiting for the output buffer to drain, by waiter number.
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
        var requests: [String: InFlight] = [:]
        /// Set when the connection holds part of a frame; cleared when the buffer empties.
        var partialSince: ContinuousClock.Instant?
    }

    /// An in-flight request. `task` is nil while the request runs the synchronous start of its task
    /// (`startRequest`); a cancel in that window is remembered and applied once the handle is stored.
    private struct InFlight {
        var task: Task<Void, Never>?
        var cancelled = false

        /// Cancels the task, or remembers to once it exists.
        mutating func cancel() -> Task<Void, Never>? {
            cancelled = true
            return task
        }
    }

    init(fd: Int32, number: Int, listener: UnixListener, server: Server, maxFrame: Int, outputLimit: Int) {
        self.fd = fd
        self.number = number
        self.listener = listener
        self.server = server
        self.loop = server.loop
        self.outputLimit = outputLimit
        self.peer = PeerCredentials.of(socket: fd)
        self.decoder = FrameDecoder(maxFrame: maxFrame)
        self.state = Mutex(State())
    }

    /// Starts reading. False when the loop refused the descriptor (the caller then closes it).
    func start() -> Bool {
        state.withLock { s in
            guard let registration = try? loop.register(fd, interest: .readable, handler: self) else { return false }
            s.registration = registration
            s.interest = .readable
            return true
        }
    }

    /// Called on the loop's thread.
    public func ready(_ readiness: Readiness) {
        if readiness.contains(.writable) { writeAvailable() }
        if readiness.contains(.readable) {
            readAvailable(hangup: readiness.contains(.hangup))
        } else if !readiness.isDisjoint(with: [.hangup, .error]) {
            // Reading is paused, and the peer is gone altogether.
            close(reason: "hangup")
        }
    }

    // MARK: Reading

    private static let readSize = 64 << 10

    private func readAvailable(hangup: Bool) {
        // A stack buffer: no allocation per read, and no per-connection buffer held while idle.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.readSize) { buffer in
            // A few reads per turn at most: the loop is level-triggered, so what is left comes back next turn.
            for _ in 0..<4 {
                let (open, discarding, paused) = state.withLock { s in
                    (s.descriptorOpen && !s.closed && !s.inputClosed, s.closeWhenFlushed, s.readPaused)
                }
                guard open, !paused || discarding else { return }
                let n = read(fd, buffer.baseAddress, buffer.count)
                if n > 0 {
                    // After a fatal framing error the connection only waits to flush its error: what the
                    // client still sends (say, the body of an oversized frame) is read and dropped.
                    guard !discarding else { continue }
                    decoder.append(UnsafeBufferPointer(rebasing: buffer[0..<n]))
                    received()
                    // A short read drained the socket, unless the peer also hung up: then read on to its EOF.
                    if n < buffer.count && !hangup { return }
                } else if n == 0 {
                    endOfFile()
                    return
                } else {
                    if errno == EINTR { continue }
                    if errno != EAGAIN && errno != EWOULDBLOCK { close(reason: "read error (errno \(errno))") }
                    return
                }
            }
        }
    }

    private func received() {
        if let mode = decoder.mode { state.withLock { $0.mode = mode } }
        drainDecoder()
        let buffered = decoder.bufferedCount
        state.withLock { s in
            if buffered == 0 { s.partialSince = nil } else if s.partialSince == nil { s.partialSince = .now }
        }
    }

    /// End-of-file means the client is gone: its requests are cancelled at once. Replies already queued (the
    /// error for an oversized frame, say) are still written for a client that only half-closed; one that left
    /// altogether fails the write, and one that never reads is cut off by the sweep.
    private func endOfFile() {
        do throws(FramingError) {
            try decoder.finish()
        } catch {
            send(.error(id: nil, Self.framingError(error)))
        }
        let flushed = state.withLock { s in
            s.inputClosed = true
            s.closeWhenFlushed = true
            updateInterest(&s)
            return s.output.isEmpty
        }
        if flushed {
            close(reason: "eof")
        } else {
            cancelAll()
        }
    }

    private func drainDecoder() {
        while !isClosed {
            do throws(FramingError) {
                guard let payload = try decoder.next() else { return }
                server?.handler.handle(payload, on: self)
            } catch {
                send(.error(id: nil, Self.framingError(error)))
                if error.isFatal {
                    closeWhenFlushed()
                    return
                }
            }
        }
    }

    static func framingError(_ error: FramingError) -> SidecarError {
        switch error {
        case .emptyFrame:
            return SidecarError(.badRequest, "empty frame: a frame's length must be at least 1")
        case .frameTooLarge(let length, let max):
            return SidecarError(.frameTooLarge, "frame of \(length) bytes exceeds max_frame \(max); closing connection")
        case .truncated(let buffered):
            return SidecarError(.badRequest, "connection closed inside a frame (\(buffered) bytes unread)")
        }
    }

    // MARK: Writing

    var isClosed: Bool { state.withLock { $0.closed || $0.closeWhenFlushed } }

    /// Queues a message. Returns false when the output is over its limit.
    @discardableResult
    public func send(_ message: ServerMessage) -> Bool {
        let payload = message.payload
        let (underLimit, failure) = state.withLock { s -> (Bool, Int32?) in
            guard !s.closed, s.descriptorOpen else { return (true, nil) }
            for piece in FrameEncoder.pieces(payload, mode: s.mode) {
                guard s.output.isEmpty else {
                    s.output.append(piece)
                    continue
                }
                let sent = piece.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if sent < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR { return (true, errno) }
                if sent < piece.count {
                    s.output.append(piece, from: max(0, sent))
                    s.outputWaitingSince = .now
                }
            }
            updateInterest(&s)
            return (s.output.count <= outputLimit, nil)
        }
        if let failure { close(reason: "write failed (errno \(failure))") }
        return underLimit
    }

    /// Queues a message, then waits while the output is over its limit (backpressure for streams).
    /// Cancelling the waiting task (client `cancel`, shutdown) ends the wait at once.
    public func sendApplyingBackpressure(_ message: ServerMessage) async {
        guard !send(message) else { return }
        let waiter = state.withLock { s in
            defer { s.nextWaiter += 1 }
            return s.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s in
                    if s.closed || s.output.count <= outputLimit || Task.isCancelled { return true }
                    s.waiters[waiter] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: waiter) }?.resume()
        }
    }

    /// Watches for what the connection needs now: requests unless paused or closed, room to write while
    /// output is pending. Reading pauses above the output limit and resumes at half of it.
    private func updateInterest(_ s: inout State) {
        if s.output.count > outputLimit {
            s.readPaused = true
        } else if s.output.count <= outputLimit / 2, s.readPaused {
            s.readPaused = false
            // Time spent paused inside a frame was the sidecar's, not the client's.
            if s.partialSince != nil { s.partialSince = .now }
        }
        if s.output.isEmpty { s.outputWaitingSince = nil }
        var wanted: Interest = []
        if !s.closed && !s.inputClosed && (!s.readPaused || s.closeWhenFlushed) { wanted.insert(.readable) }
        if !s.closed && !s.output.isEmpty { wanted.insert(.writable) }
        guard wanted != s.interest, let registration = s.registration else { return }
        s.interest = wanted
        loop.update(registration, interest: wanted)
    }

    private func writeAvailable() {
        let (waiters, finished, failure) = state.withLock {
            s -> ([CheckedContinuation<Void, Never>], Bool, Int32?) in
            guard !s.closed, s.descriptorOpen else { return ([], false, nil) }
            let written = s.output.drain { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR { return ([], false, errno) }
            if written > 0 { s.outputWaitingSince = .now }
            updateInterest(&s)
            var released: [CheckedContinuation<Void, Never>] = []
            if s.output.count <= outputLimit / 2 {
                released = Array(s.waiters.values)
                s.waiters = [:]
            }
            return (released, s.output.isEmpty && s.closeWhenFlushed, nil)
        }
        waiters.forEach { $0.resume() }
        if let failure {
            close(reason: "write failed (errno \(failure))")
        } else if finished {
            close(reason: "flushed")
        }
    }

    // MARK: Requests

    /// Whether `startRequest` started the request.
    public enum RequestStart: Sendable {
        case started
        /// `id` is already in flight on this connection (or the connection has closed).
        case duplicateID
        /// The server is shutting down and takes no new requests.
        case shuttingDown
    }

    /// Registers and starts a request, counted in the server's in-flight requests until its terminal
    /// message is sent (shutdown waits for them).
    /// `body` returns the request's terminal message; the id is released before that message is sent, so a
    /// client that reuses the id after the terminal never sees `duplicate_id`.
    public func startRequest(id: String, _ body: @escaping @Sendable () async -> ServerMessage) -> RequestStart {
        guard let server, server.requestStarting() else { return .shuttingDown }
        let registered = state.withLock { s in
            guard !s.closed, s.requests[id] == nil else { return false }
            s.requests[id] = InFlight()
            return true
        }
        guard registered else {
            server.requestFinished()
            return .duplicateID
        }
        // A plain Task, not an immediate one: the request's first steps may block (name resolution for a
        // new upstream connection), and the loop's thread serves every client.
        let task = Task {
            let terminal = await body()
            self.state.withLock { _ = $0.requests.removeValue(forKey: id) }
            self.send(terminal)
            self.server?.requestFinished()
        }
        let cancelled = state.withLock { s -> Bool in
            guard s.requests[id] != nil else { return false }
            s.requests[id]?.task = task
            return s.requests[id]?.cancelled ?? false
        }
        if cancelled { task.cancel() }
        return .started
    }

    /// Cancels the in-flight request `id`; ignored when unknown or finished.
    public func cancelRequest(_ id: String) {
        state.withLock { $0.requests[id]?.cancel() }?.cancel()
    }

    /// Cancels every in-flight request (shutdown deadline).
    func cancelAll() {
        state.withLock { s in s.requests.keys.compactMap { s.requests[$0]?.cancel() } }.forEach { $0.cancel() }
    }

    /// Why the sweep should close this connection: a partial frame or unread output older than `deadline`.
    func stall(before deadline: ContinuousClock.Instant) -> String? {
        state.withLock { s in
            if let since = s.partialSince, since < deadline, !s.readPaused { return "read_timeout" }
            if let since = s.outputWaitingSince, since < deadline { return "not_reading" }
            return nil
        }
    }

    // MARK: Closing

    /// Stops taking requests, and closes once queued output is written.
    func closeWhenFlushed() {
        let flushed = state.withLock { s in
            s.closeWhenFlushed = true
            return s.output.isEmpty
        }
        if flushed { close(reason: "flushed") }
    }

    /// Closes at once: cancels the connection's requests and releases the descriptor. Idempotent.
    func close(reason: String) {
        let taken = state.withLock { s -> (waiters: [CheckedContinuation<Void, Never>], tasks: [Task<Void, Never>])? in
            guard !s.closed else { return nil }
            s.closed = true
            defer { s.waiters = [:] }
            return (Array(s.waiters.values), s.requests.keys.compactMap { s.requests[$0]?.cancel() })
        }
        guard let taken else { return }
        taken.tasks.forEach { $0.cancel() }
        taken.waiters.forEach { $0.resume() }
        // On the loop's thread even when closing from there: the handler that called us may still be running
        // and must not meet a descriptor number another thread has reused.
        loop.execute { self.releaseDescriptor(reason: reason) }
    }

    private func releaseDescriptor(reason: String) {
        state.withLock { s in
            if let registration = s.registration { loop.deregister(registration) }
            s.registration = nil
            s.descriptorOpen = false
            s.output = OutputBuffer()
            _ = Glibc.close(fd)
        }
        server?.connectionClosed(self, reason: reason)
    }
}
