@preconcurrency import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The socket side of the sidecar: listeners, connections and the shutdown sequence.
///
/// Design: Dispatch read/write sources per connection, cheap requests handled inline on the connection's
/// serial queue, a `Task` only for completions (see LINUX-SWIFT-NOTES: inline handling is within a few µs
/// of a C epoll loop; a Task hop costs ~20 µs, negligible next to an upstream call). Every connection queue
/// targets one shared concurrent queue, so there is no thread per connection.
public final class Server: @unchecked Sendable {
    public enum Phase: Sendable { case starting, running, draining, stopped }

    let logger: Logger
    let limits: ServerLimits
    let dispatcher: Dispatcher
    let connectionQueue = DispatchQueue(label: "sidecar.connections", attributes: .concurrent)
    private let specs: [ListenerSpec]
    private let acceptQueue = DispatchQueue(label: "sidecar.accept")
    private let state = Mutex(State())
    private let startedAt = ContinuousClock.now

    private struct State {
        var phase: Phase = .starting
        var listeners: [UnixListener] = []
        var acceptSources: [DispatchSourceRead] = []
        var connections: [Int: Connection] = [:]
        var nextConnection = 0
        var inFlight = 0
        var drained: [CheckedContinuation<Void, Never>] = []
        var sweeper: DispatchSourceTimer?
    }

    public init(listeners: [ListenerSpec], limits: ServerLimits, logger: Logger, context: SidecarContext) {
        self.specs = listeners
        self.limits = limits
        self.logger = logger
        self.dispatcher = Dispatcher(context: context)
        dispatcher.server = self
    }

    public var phase: Phase { state.withLock { $0.phase } }
    public var uptime: Duration { ContinuousClock.now - startedAt }
    public var connectionCount: Int { state.withLock { $0.connections.count } }
    public var inFlightCount: Int { state.withLock { $0.inFlight } }

    /// Binds every listener (all or none) and starts accepting.
    public func start() throws(ListenerError) {
        signal(SIGPIPE, SIG_IGN)
        var bound: [UnixListener] = []
        for spec in specs {
            do {
                bound.append(try UnixListener(path: spec.path, mode: spec.mode, agent: spec.agent))
            } catch {
                bound.forEach { $0.shutdown() }
                throw error
            }
        }
        let sources = bound.map { listener in
            let source = DispatchSource.makeReadSource(fileDescriptor: listener.fd, queue: acceptQueue)
            source.setEventHandler { [weak self] in self?.acceptAll(on: listener) }
            return source
        }
        let sweeper = DispatchSource.makeTimerSource(queue: acceptQueue)
        sweeper.schedule(deadline: .now() + 1, repeating: 1)
        sweeper.setEventHandler { [weak self] in self?.closeStalledConnections() }
        state.withLock { s in
            s.listeners = bound
            s.acceptSources = sources
            s.sweeper = sweeper
            s.phase = .running
        }
        sources.forEach { $0.resume() }
        sweeper.resume()
        for listener in bound {
            logger.info("listening", ["socket": listener.path, "agent": listener.agent])
        }
    }

    private func acceptAll(on listener: UnixListener) {
        while true {
            let fd = accept(listener.fd, nil, nil)
            guard fd >= 0 else {
                if errno == EMFILE || errno == ENFILE {
                    logger.error("accept.failed", ["socket": listener.path, "reason": "out of file descriptors"])
                }
                return
            }
            // Glibc does not export accept4 (it needs _GNU_SOURCE): set the flags separately.
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            let connection: Connection? = state.withLock { s in
                guard s.phase == .running, s.connections.count < limits.maxConnections else { return nil }
                s.nextConnection += 1
                let c = Connection(fd: fd, number: s.nextConnection, listener: listener, server: self,
                                   maxFrame: limits.maxFrame, outputLimit: limits.outputBuffer)
                s.connections[c.number] = c
                return c
            }
            guard let connection else {
                logger.warn("connection.refused", ["reason": "max_connections or shutting down"])
                close(fd)
                continue
            }
            logger.debug("connection.open", [
                "conn": String(connection.number), "pid": connection.peer.map { String($0.pid) },
                "uid": connection.peer.map { String($0.uid) },
            ])
            connection.start()
        }
    }

    private func closeStalledConnections() {
        let deadline = ContinuousClock.now - limits.readTimeout
        let stalled = state.withLock { Array($0.connections.values) }.filter { $0.isStalled(before: deadline) }
        for connection in stalled {
            logger.warn("connection.read_timeout", ["conn": String(connection.number)])
            connection.close()
        }
    }

    func connectionClosed(_ connection: Connection) {
        state.withLock { _ = $0.connections.removeValue(forKey: connection.number) }
        logger.debug("connection.close", ["conn": String(connection.number)])
    }

    /// Counts a request in; returns false when the server no longer takes requests.
    func requestStarting() -> Bool {
        state.withLock { s in
            guard s.phase == .running else { return false }
            s.inFlight += 1
            return true
        }
    }

    func requestFinished() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.inFlight -= 1
            guard s.inFlight == 0 else { return [] }
            defer { s.drained = [] }
            return s.drained
        }
        waiters.forEach { $0.resume() }
    }

    /// Stops accepting, lets in-flight requests finish for up to the grace period, ends the rest with
    /// `shutting_down`, flushes and removes the socket files.
    public func shutdown() async {
        let listeners = state.withLock { s -> [UnixListener] in
            guard s.phase == .running || s.phase == .starting else { return [] }
            s.phase = .draining
            s.acceptSources.forEach { $0.cancel() }
            s.sweeper?.cancel()
            return s.listeners
        }
        listeners.forEach { $0.shutdown() }
        logger.info("shutdown.draining", ["in_flight": String(inFlightCount)])
        let drained = await waitForDrain(timeout: limits.grace)
        if !drained {
            let connections = state.withLock { Array($0.connections.values) }
            logger.warn("shutdown.grace_expired", ["cancelling": String(inFlightCount)])
            connections.forEach { $0.cancelAll() }
            _ = await waitForDrain(timeout: .seconds(5))
        }
        let connections = state.withLock { s -> [Connection] in
            s.phase = .stopped
            return Array(s.connections.values)
        }
        connections.forEach { $0.closeWhenFlushed() }
        await waitForConnectionsToFlush(timeout: .seconds(5))
        await dispatcher.context.close()
        logger.info("shutdown.complete")
    }

    /// Gives clients a bounded time to read their last frames; a connection closes once its output is written.
    private func waitForConnectionsToFlush(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while connectionCount > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if connectionCount > 0 {
            logger.warn("shutdown.unflushed", ["connections": String(connectionCount)])
        }
    }

    /// Waits until no request is in flight, or the timeout passes. Returns whether it drained.
    private func waitForDrain(timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    let done = self.state.withLock { s in
                        if s.inFlight == 0 { return true }
                        s.drained.append(c)
                        return false
                    }
                    if done { c.resume() }
                }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            if !first { self.releaseDrainWaiters() }
            return first
        }
    }

    private func releaseDrainWaiters() {
        let waiters = state.withLock { s in
            defer { s.drained = [] }
            return s.drained
        }
        waiters.forEach { $0.resume() }
    }
}
