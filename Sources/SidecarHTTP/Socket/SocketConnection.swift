import Glibc
import SidecarEventLoop
import Synchronization

/// One keep-alive TCP connection of a `SocketHTTPTransport`: a non-blocking socket watched by the transport's
/// event loop.
///
/// The socket stays watched while the connection idles in the pool, so a server closing an idle connection is
/// noticed at once and the connection leaves the pool. While an exchange runs, every read is handed to it
/// (`SocketExchange.received`). The exchange's reader may also read directly (`readNow`) when it finds
/// nothing buffered, which saves a thread hop per piece when data is already waiting; `readLock` keeps reads
/// and their parsing in socket order.
///
/// Closing: `close` marks the connection closed and shuts the socket down at once (the peer sees it); the
/// descriptor itself is released on the loop's thread, after it left the loop and under `readLock`. Every
/// read and write checks the connection is open under a lock the release also holds, so none can reach a
/// descriptor number the system reused.
final class SocketConnection: EventHandler, Sendable {
    let key: String
    let loop: EventLoop
    private let fd: Int32
    private let pool: ConnectionPool
    private let state = Mutex(State())
    /// Held while reading from the socket and handing the bytes over, and while releasing the descriptor.
    private let readLock = Mutex(())

    private enum Phase {
        case idle
        case busy(SocketExchange)
        case closed
    }

    private struct State {
        var phase = Phase.idle
        var registration: EventLoop.Registration?
        var interest: Interest = []
        var readPaused = false
        /// Request bytes the socket has not taken yet (sent when it reports room).
        var unwritten: [UInt8] = []
        var unwrittenOffset = 0
    }

    static let readSize = 16 << 10

    init(fd: Int32, key: String, loop: EventLoop, pool: ConnectionPool) {
        self.fd = fd
        self.key = key
        self.loop = loop
        self.pool = pool
    }

    /// Hands the connection to `exchange`. False when it closed meanwhile (a pooled connection the server
    /// dropped). Starts watching the socket on first use. Taken under `readLock`, so a read that began while
    /// the connection was idle ends (closing it, if the server had closed) before the exchange owns it, and
    /// can never mistake the exchange's response for bytes nobody asked for.
    func attach(_ exchange: SocketExchange) -> Bool {
        readLock.withLock { _ in
            state.withLock { state in
                guard case .idle = state.phase else { return false }
                if state.registration == nil {
                    guard let registration = try? loop.register(fd, interest: .readable, handler: self) else {
                        return false
                    }
                    state.registration = registration
                    state.interest = .readable
                }
                state.phase = .busy(exchange)
                return true
            }
        }
    }

    /// The exchange ended with the response fully read: back to idle (reading resumed) for the pool. False
    /// when the connection cannot be reused, also when part of the request is still unsent (a server that
    /// answered early, before reading the whole body).
    func detach() -> Bool {
        state.withLock { state in
            guard case .busy = state.phase, state.unwritten.isEmpty else { return false }
            state.phase = .idle
            state.readPaused = false
            updateInterest(&state)
            return true
        }
    }

    /// Stops or restarts reading from the socket (backpressure). Idempotent.
    func setReadingPaused(_ paused: Bool) {
        state.withLock { state in
            if case .closed = state.phase { return }
            state.readPaused = paused
            updateInterest(&state)
        }
    }

    /// Writes `bytes`, asking the loop for room for what the socket does not take at once. Returns the errno
    /// of a failed write (the exchange then fails), nil when everything went out or is queued.
    func write(_ bytes: [UInt8]) -> Int32? {
        state.withLock { state in
            if case .closed = state.phase { return EBADF }
            state.unwritten = bytes
            state.unwrittenOffset = 0
            let failure = flush(&state)
            if state.unwrittenOffset >= state.unwritten.count { state.unwritten = [] }
            updateInterest(&state)
            return failure
        }
    }

    /// Closes the connection now: the peer sees it at once; the descriptor is released on the loop's thread.
    func close() {
        let closing: Bool = state.withLock { state in
            if case .closed = state.phase { return false }
            state.phase = .closed
            shutdown(fd, Int32(SHUT_RDWR))
            state.unwritten = []
            return true
        }
        guard closing else { return }
        loop.execute { [self] in
            let registration = state.withLock { state in
                defer { state.registration = nil }
                return state.registration
            }
            if let registration { loop.deregister(registration) }
            readLock.withLock { _ in _ = Glibc.close(fd) }
        }
    }

    /// Reading unless paused or closed; room to write while request bytes are pending.
    private func updateInterest(_ state: inout State) {
        var wanted: Interest = []
        if case .closed = state.phase {
        } else {
            if !state.readPaused { wanted.insert(.readable) }
            if !state.unwritten.isEmpty { wanted.insert(.writable) }
        }
        guard wanted != state.interest, let registration = state.registration else { return }
        state.interest = wanted
        loop.update(registration, interest: wanted)
    }

    // MARK: Loop side

    func ready(_ readiness: Readiness) {
        if readiness.contains(.writable) { writable() }
        if !readiness.isDisjoint(with: [.readable, .hangup, .error]) {
            readLock.withLock { _ in readLocked() }
        }
    }

    private func readLocked() {
        let open: (exchange: SocketExchange?, reading: Bool) = state.withLock { state in
            switch state.phase {
            case .busy(let exchange): (exchange, !state.readPaused)
            case .idle: (nil, true)
            case .closed: (nil, false)
            }
        }
        guard open.reading else { return }
        let exchange = open.exchange
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.readSize) { buffer in
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count > 0 {
                if let exchange {
                    exchange.received(UnsafeBufferPointer(rebasing: buffer[0..<count]))
                } else {
                    closeIdle()
                }
            } else if count == 0 {
                if let exchange { exchange.closedByPeer(errno: 0) } else { closeIdle() }
            } else {
                let code = errno
                if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return }
                if let exchange { exchange.closedByPeer(errno: code) } else { closeIdle() }
            }
        }
    }

    /// Reads what the socket holds right now without waiting, for `reader` if it is still the current exchange
    /// (a reader that found nothing buffered, or an abandoned exchange that may only miss the last bytes of
    /// its response). Returns false when nothing was available.
    func readNow(for reader: SocketExchange) -> Bool {
        readLock.withLock { _ in
            let exchange: SocketExchange? = state.withLock { state in
                guard !state.readPaused, case .busy(let exchange) = state.phase, exchange === reader else { return nil }
                return exchange
            }
            guard let exchange else { return false }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.readSize) { buffer in
                let count = recv(fd, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
                if count > 0 {
                    exchange.received(UnsafeBufferPointer(rebasing: buffer[0..<count]))
                    return true
                }
                if count == 0 { exchange.closedByPeer(errno: 0) }
                return false
            }
        }
    }

    /// An idle connection became readable: the server closed it (or sent bytes nobody asked for).
    private func closeIdle() {
        close()
        pool.remove(self)
    }

    private func writable() {
        let failure: (Int32, SocketExchange?)? = state.withLock { state in
            if case .closed = state.phase { return nil }
            if let code = flush(&state) {
                if case .busy(let exchange) = state.phase { return (code, exchange) }
                return (code, nil)
            }
            if state.unwrittenOffset >= state.unwritten.count { state.unwritten = [] }
            updateInterest(&state)
            return nil
        }
        guard let (code, exchange) = failure else { return }
        if let exchange { exchange.closedByPeer(errno: code) } else { closeIdle() }
    }

    /// Sends as much of `unwritten` as the socket takes; an errno on failure.
    private func flush(_ state: inout State) -> Int32? {
        while state.unwrittenOffset < state.unwritten.count {
            let sent = state.unwritten[state.unwrittenOffset...].withUnsafeBytes {
                send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                state.unwrittenOffset += sent
                continue
            }
            let code = errno
            if sent < 0, code == EINTR { continue }
            if sent < 0, code == EAGAIN || code == EWOULDBLOCK { return nil }
            return sent == 0 ? EPIPE : code
        }
        return nil
    }
}
