@preconcurrency import Dispatch
import Glibc
import Synchronization

/// One keep-alive TCP connection of a `SocketHTTPTransport`: a non-blocking socket watched by a Dispatch read
/// source on the connection's own serial queue.
///
/// The read source stays active while the connection idles in the pool, so a server closing an idle
/// connection is noticed at once and the connection leaves the pool. While an exchange runs, every read is
/// handed to it (`SocketExchange.received`). The exchange's reader may also read directly (`readNow`) when it
/// finds nothing buffered, which saves a thread hop per piece when data is already waiting; `readLock`
/// keeps reads and their parsing in socket order. The descriptor is closed only in the sources' cancel
/// handlers, after `shutdown` made the close visible to the peer, and under `readLock`; every read and write
/// happens only while the connection is open, so none can reach a descriptor number the system reused.
final class SocketConnection: Sendable {
    let key: String
    let queue: DispatchQueue
    private let fd: Int32
    private let pool: ConnectionPool
    private let state = Mutex(State())
    /// Held while reading from the socket and handing the bytes over, and while closing the descriptor.
    private let readLock = Mutex(())

    private enum Phase {
        case idle
        case busy(SocketExchange)
        case closed
    }

    private struct State {
        var phase = Phase.idle
        var readSource: DispatchSourceRead?
        var writeSource: DispatchSourceWrite?
        var readPaused = false
        var liveSources = 0
        /// Request bytes the socket has not taken yet (sent by the write source).
        var unwritten: [UInt8] = []
        var unwrittenOffset = 0
    }

    static let readSize = 16 << 10

    init(fd: Int32, key: String, queue: DispatchQueue, pool: ConnectionPool) {
        self.fd = fd
        self.key = key
        self.queue = queue
        self.pool = pool
    }

    /// Hands the connection to `exchange`. False when it closed meanwhile (a pooled connection the server
    /// dropped). Starts watching the socket on first use. Taken under `readLock`, so a read that began while
    /// the connection was idle ends (closing it, if the server had closed) before the exchange owns it, and
    /// can never mistake the exchange's response for bytes nobody asked for.
    func attach(_ exchange: SocketExchange) -> Bool {
        readLock.withLock { _ in
            let attached: (Bool, DispatchSourceRead?) = state.withLock { state in
                guard case .idle = state.phase else { return (false, nil) }
                state.phase = .busy(exchange)
                guard state.readSource == nil else { return (true, nil) }
                let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
                state.readSource = source
                state.liveSources += 1
                return (true, source)
            }
            if let source = attached.1 {
                source.setEventHandler { [self] in readable() }
                source.setCancelHandler { [self] in sourceDidCancel() }
                source.activate()
            }
            return attached.0
        }
    }

    /// The exchange ended with the response fully read: back to idle (reading resumed) for the pool.
    func detach() -> Bool {
        state.withLock { state in
            guard case .busy = state.phase else { return false }
            state.phase = .idle
            if state.readPaused {
                state.readPaused = false
                state.readSource?.resume()
            }
            return true
        }
    }

    /// Stops or restarts reading from the socket (backpressure). Idempotent.
    func setReadingPaused(_ paused: Bool) {
        state.withLock { state in
            guard state.readPaused != paused, let source = state.readSource else { return }
            if case .closed = state.phase { return }
            state.readPaused = paused
            if paused { source.suspend() } else { source.resume() }
        }
    }

    /// Writes `bytes`, arming a write source for what the socket does not take at once. Returns the errno of
    /// a failed write (the exchange then fails), nil when everything went out or is queued.
    func write(_ bytes: [UInt8]) -> Int32? {
        let (error, source): (Int32?, DispatchSourceWrite?) = state.withLock { state in
            if case .closed = state.phase { return (EBADF, nil) }
            state.unwritten = bytes
            state.unwrittenOffset = 0
            if let code = flush(&state) { return (code, nil) }
            guard state.unwrittenOffset < state.unwritten.count, state.writeSource == nil else { return (nil, nil) }
            let source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
            state.writeSource = source
            state.liveSources += 1
            return (nil, source)
        }
        if let source {
            source.setEventHandler { [self] in writable() }
            source.setCancelHandler { [self] in sourceDidCancel() }
            source.activate()
        }
        return error
    }

    /// Closes the connection now: the peer sees it at once; the descriptor is released once Dispatch lets go.
    func close() {
        let sources: (DispatchSourceRead?, DispatchSourceWrite?, Bool, Bool)? = state.withLock { state in
            if case .closed = state.phase { return nil }
            state.phase = .closed
            shutdown(fd, Int32(SHUT_RDWR))
            let noSources = state.liveSources == 0
            let taken = (state.readSource, state.writeSource, state.readPaused, noSources)
            state.readSource = nil
            state.writeSource = nil
            state.readPaused = false
            state.unwritten = []
            return taken
        }
        guard let (read, write, paused, noSources) = sources else { return }
        if noSources {
            Glibc.close(fd)
            return
        }
        write?.cancel()
        read?.cancel()
        // A suspended source runs its cancel handler only once resumed.
        if paused { read?.resume() }
    }

    // MARK: Queue side

    private func readable() {
        readLock.withLock { _ in readLocked() }
    }

    private func readLocked() {
        let open: (exchange: SocketExchange?, closed: Bool) = state.withLock { state in
            switch state.phase {
            case .busy(let exchange): (exchange, false)
            case .idle: (nil, false)
            case .closed: (nil, true)
            }
        }
        if open.closed { return }
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
            if let code = flush(&state) {
                if case .busy(let exchange) = state.phase { return (code, exchange) }
                return (code, nil)
            }
            if state.unwrittenOffset >= state.unwritten.count {
                state.unwritten = []
                state.writeSource?.cancel()
                state.writeSource = nil
            }
            return nil
        }
        if let (code, exchange) = failure { exchange?.closedByPeer(errno: code) }
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

    private func sourceDidCancel() {
        let last: Bool = state.withLock { state in
            state.liveSources -= 1
            guard case .closed = state.phase else { return false }
            return state.liveSources == 0
        }
        if last { readLock.withLock { _ in _ = Glibc.close(fd) } }
    }
}
