@preconcurrency import Dispatch
import SidecarFraming
import SidecarProtocol
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One client connection: reads and frames requests, writes replies, owns the connection's in-flight requests.
///
/// Reading happens on the connection's serial queue through a read source; cheap requests are answered
/// inline there. Sends may come from any thread: a send writes directly when nothing is queued, else appends
/// to a bounded buffer drained by a write source. Streams call `sendApplyingBackpressure`, which suspends while
/// the buffer is over its limit, so a client that stops reading stops its streams instead of growing memory.
final class Connection: @unchecked Sendable {
    let fd: Int32
    let number: Int
    let listener: UnixListener
    let peer: PeerCredentials?
    private let queue: DispatchQueue
    private let readSource: DispatchSourceRead
    private let writeSource: DispatchSourceWrite
    private let outputLimit: Int
    private let state: Mutex<State>
    /// Only touched on `queue`.
    private var decoder: FrameDecoder
    private weak var server: Server?

    private struct State {
        var output = OutputBuffer()
        var writeArmed = false
        var closed = false
        var closeWhenFlushed = false
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
        self.outputLimit = outputLimit
        self.peer = PeerCredentials.of(socket: fd)
        self.decoder = FrameDecoder(maxFrame: maxFrame)
        self.state = Mutex(State())
        queue = DispatchQueue(label: "sidecar.connection.\(number)", target: server.connectionQueue)
        readSource = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        writeSource = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
    }

    func start() {
        readSource.setEventHandler { [weak self] in self?.readAvailable() }
        // The handlers hold the connection until the sources are cancelled (Dispatch then releases them).
        readSource.setCancelHandler { self.cancelWriter() }
        writeSource.setEventHandler { [weak self] in self?.writeAvailable() }
        writeSource.setCancelHandler { [fd] in Glibc.close(fd) }
        readSource.resume()
    }

    /// A suspended source must be resumed before it can finish cancelling; its cancel handler closes the fd.
    private func cancelWriter() {
        state.withLock { s in
            writeSource.cancel()
            if !s.writeArmed {
                s.writeArmed = true
                writeSource.resume()
            }
        }
    }

    // MARK: Reading

    private func readAvailable() {
        // After a fatal framing error the connection only waits to flush its error: what the client still
        // sends (say, the body of an oversized frame) is read and dropped, never buffered.
        let discarding = isClosed
        // A stack buffer: no allocation per read, and no per-connection buffer held while idle.
        let n = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32 * 1024) { buffer in
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n > 0 && !discarding { decoder.append(UnsafeBufferPointer(rebasing: buffer[0..<n])) }
            return n
        }
        if n > 0 && discarding { return }
        if n > 0 {
            if let mode = decoder.mode { state.withLock { $0.mode = mode } }
            drainDecoder()
            let buffered = decoder.bufferedCount
            state.withLock { s in
                if buffered == 0 { s.partialSince = nil } else if s.partialSince == nil { s.partialSince = .now }
            }
        } else if n == 0 {
            do throws(FramingError) {
                try decoder.finish()
            } catch {
                send(.error(id: nil, Self.framingError(error)))
            }
            server?.logger.debug("connection.eof", ["conn": String(number)])
            close()
        } else if errno != EAGAIN && errno != EINTR {
            close()
        }
    }

    private func drainDecoder() {
        while !isClosed {
            do throws(FramingError) {
                guard let payload = try decoder.next() else { return }
                server?.dispatcher.handle(payload, on: self)
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

    /// Queues a message. Returns false when the output buffer is over its limit.
    ///
    /// Streams stop at the limit (`sendApplyingBackpressure`), so only replies to requests the client keeps
    /// sending without reading can push the buffer to twice the limit: such a client is disconnected.
    @discardableResult
    func send(_ message: ServerMessage) -> Bool {
        let payload = message.payload
        let (underLimit, overrun) = state.withLock { s -> (Bool, Bool) in
            guard !s.closed else { return (true, false) }
            let bytes = FrameEncoder.encode(payload, mode: s.mode)
            var offset = 0
            if s.output.isEmpty {
                offset = max(0, bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) })
            }
            if offset < bytes.count {
                s.output.append(bytes[offset...])
                armWriter(&s)
            }
            return (s.output.count <= outputLimit, s.output.count > 2 * outputLimit)
        }
        if overrun {
            server?.logger.warn("connection.not_reading", ["conn": String(number), "reason": "output buffer overrun"])
            close()
        }
        return underLimit
    }

    /// Queues a message, then waits while the output buffer is over its limit (backpressure for streams).
    /// Cancelling the waiting task (client `cancel`, shutdown) ends the wait at once.
    func sendApplyingBackpressure(_ message: ServerMessage) async {
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

    private func armWriter(_ s: inout State) {
        if !s.writeArmed {
            s.writeArmed = true
            writeSource.resume()
        }
    }

    private func writeAvailable() {
        let (waiters, finished) = state.withLock { s -> ([CheckedContinuation<Void, Never>], Bool) in
            guard !s.closed else { return ([], false) }
            let written = s.output.drain { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 && errno != EAGAIN && errno != EINTR {
                s.output = OutputBuffer()
            }
            if s.output.isEmpty, s.writeArmed {
                s.writeArmed = false
                writeSource.suspend()
            }
            var released: [CheckedContinuation<Void, Never>] = []
            if s.output.count <= outputLimit / 2 {
                released = Array(s.waiters.values)
                s.waiters = [:]
            }
            return (released, s.output.isEmpty && s.closeWhenFlushed)
        }
        waiters.forEach { $0.resume() }
        if finished { close() }
    }

    // MARK: Requests

    /// Registers and starts a request. Returns false if `id` is already in flight here (or the connection closed).
    /// `body` returns the request's terminal message; the id is released before that message is sent, so a
    /// client that reuses the id after the terminal never sees `duplicate_id`.
    ///
    /// The task starts immediately on the calling thread (the connection's queue) and leaves it at its first
    /// suspension: the request's first steps, up to the upstream request being written (or, for the built-in
    /// provider, the first chunk being sent), cost no thread hop. Requests run concurrently from there on.
    func startRequest(id: String, _ body: @escaping @Sendable () async -> ServerMessage) -> Bool {
        let registered = state.withLock { s in
            guard !s.closed, s.requests[id] == nil else { return false }
            s.requests[id] = InFlight()
            return true
        }
        guard registered else { return false }
        let task = Task.immediate {
            let terminal = await body()
            self.state.withLock { _ = $0.requests.removeValue(forKey: id) }
            self.send(terminal)
            self.server?.requestFinished()
        }
        // Still registered unless the request already ended; a new request cannot have taken the id in
        // between, since requests start only on this connection's queue, which is running this call.
        let cancelled = state.withLock { s -> Bool in
            guard s.requests[id] != nil else { return false }
            s.requests[id]?.task = task
            return s.requests[id]?.cancelled ?? false
        }
        if cancelled { task.cancel() }
        return true
    }

    /// Cancels the in-flight request `id`; ignored when unknown or finished.
    func cancelRequest(_ id: String) {
        state.withLock { $0.requests[id]?.cancel() }?.cancel()
    }

    var inFlightCount: Int { state.withLock { $0.requests.count } }

    /// Cancels every in-flight request (client gone or shutdown deadline).
    func cancelAll() {
        state.withLock { s in s.requests.keys.compactMap { s.requests[$0]?.cancel() } }.forEach { $0.cancel() }
    }

    /// True when the connection has held an incomplete frame since before `deadline`.
    func isStalled(before deadline: ContinuousClock.Instant) -> Bool {
        state.withLock { $0.partialSince.map { $0 < deadline } ?? false }
    }

    // MARK: Closing

    /// Stops reading, and closes once queued output is written.
    func closeWhenFlushed() {
        let flushed = state.withLock { s in
            s.closeWhenFlushed = true
            return s.output.isEmpty
        }
        if flushed { close() }
    }

    /// Closes at once and cancels the connection's requests.
    func close() {
        let taken = state.withLock { s -> (waiters: [CheckedContinuation<Void, Never>], tasks: [Task<Void, Never>])? in
            guard !s.closed else { return nil }
            s.closed = true
            defer { s.waiters = [:] }
            return (Array(s.waiters.values), s.requests.keys.compactMap { s.requests[$0]?.cancel() })
        }
        guard let taken else { return }
        taken.tasks.forEach { $0.cancel() }
        taken.waiters.forEach { $0.resume() }
        readSource.cancel()
        server?.connectionClosed(self)
    }
}
