@preconcurrency import Dispatch
import SidecarEventLoop
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The socket side of the sidecar: listeners, connections and the shutdown sequence.
///
/// Design: one event loop thread (`EventLoop`, epoll) accepts, reads and answers cheap requests inline (ping,
/// status, parsing, validation: a few µs each); completions and usage queries run in `Task`s and send from
/// wherever they run. Dispatch read sources were used before and crashed under connection churn (see
/// `EventLoop`); the loop also makes every descriptor's release explicit.
public final class Server: @unchecked Sendable {
    public enum Phase: Sendable { case starting, running, draining, stopped }

    public let logger: Logger
    public let limits: ServerLimits
    let handler: any PayloadHandler
    let loop: EventLoop
    private let specs: [ListenerSpec]
    private let timerQueue = DispatchQueue(label: "sidecar.server.timers")
    private let state = Mutex(State())
    private let startedAt = ContinuousClock.now

    private struct State {
        var phase: Phase = .starting
        var acceptors: [Acceptor] = []
        var connections: [Int: Connection] = [:]
        var nextConnection = 0
        var inFlight = 0
        var drained: [CheckedContinuation<Void, Never>] = []
        var sweeper: DispatchSourceTimer?
        var refused = LogThrottle(interval: .seconds(10))
    }

    public init(listeners: [ListenerSpec], limits: ServerLimits, logger: Logger, handler: any PayloadHandler) {
        self.specs = listeners
        self.limits = limits
        self.logger = logger
        self.handler = handler
        // Without its loop the server cannot run at all; the system refuses an epoll descriptor only when
        // out of memory or descriptors at startup.
        do {
            self.loop = try EventLoop(name: "sidecar.server")
        } catch {
            fatalError("cannot start the server's event loop: \(error)")
        }
        handler.attached(to: self)
    }

    public var phase: Phase { state.withLock { $0.phase } }
    public var uptime: Duration { ContinuousClock.now - startedAt }
    public var connectionCount: Int { state.withLock { $0.connections.count } }
    public var inFlightCount: Int { state.withLock { $0.inFlight } }

    /// Binds every listener (all or none) and starts accepting.
    public func start() throws(ListenerError) {
        signal(SIGPIPE, SIG_IGN)
        DescriptorLimit.raise(toFit: limits.maxConnections, logger: logger)
        var bound: [UnixListener] = []
        for spec in specs {
            do {
                bound.append(try UnixListener(path: spec.path, mode: spec.mode, agent: spec.agent))
            } catch {
                bound.forEach { $0.shutdown() }
                throw error
            }
        }
        let acceptors = bound.map { Acceptor(listener: $0, server: self) }
        state.withLock { s in
            s.acceptors = acceptors
            s.phase = .running
        }
        for acceptor in acceptors {
            do {
                try acceptor.start()
            } catch {
                acceptors.forEach { $0.stop() }
                throw ListenerError(description: "cannot watch \(acceptor.listener.path): \(error)")
            }
        }
        let sweeper = DispatchSource.makeTimerSource(queue: timerQueue)
        sweeper.schedule(deadline: .now() + 1, repeating: 1)
        sweeper.setEventHandler { [weak self] in self?.closeStalledConnections() }
        state.withLock { $0.sweeper = sweeper }
        sweeper.resume()
        for listener in bound {
            logger.info("listening", ["socket": listener.path, "agent": listener.agent])
        }
    }

    /// Adopts an accepted descriptor, or closes it when the server is at its cap or shutting down.
    func adopt(_ fd: Int32, from listener: UnixListener) {
        let admitted: Result<Connection, RefusalCount> = state.withLock { s in
            guard s.phase == .running, s.connections.count < limits.maxConnections else {
                return .failure(RefusalCount(toLog: s.refused.count()))
            }
            s.nextConnection += 1
            let c = Connection(
                fd: fd, number: s.nextConnection, listener: listener, server: self,
                maxFrame: limits.maxFrame, outputLimit: limits.outputBuffer)
            s.connections[c.number] = c
            return .success(c)
        }
        switch admitted {
        case .failure(let refusal):
            close(fd)
            if let count = refusal.toLog {
                logger.warn(
                    "connection.refused",
                    [
                        "reason": "max_connections or shutting down", "count": String(count),
                    ])
            }
        case .success(let connection):
            logger.debug(
                "connection.open",
                [
                    "conn": String(connection.number), "pid": connection.peer.map { String($0.pid) },
                    "uid": connection.peer.map { String($0.uid) },
                ])
            if !connection.start() { connection.close(reason: "not watched") }
        }
    }

    /// Refused connections since the last log line, when one is due.
    private struct RefusalCount: Error {
        let toLog: Int?
    }

    private func closeStalledConnections() {
        let deadline = ContinuousClock.now - limits.readTimeout
        let connections = state.withLock { Array($0.connections.values) }
        for connection in connections {
            guard let reason = connection.stall(before: deadline) else { continue }
            logger.warn("connection.\(reason)", ["conn": String(connection.number)])
            connection.close(reason: reason)
        }
    }

    /// The connection released its descriptor.
    func connectionClosed(_ connection: Connection, reason: String) {
        state.withLock { _ = $0.connections.removeValue(forKey: connection.number) }
        logger.debug("connection.close", ["conn": String(connection.number), "reason": reason])
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
        let acceptors = state.withLock { s -> [Acceptor] in
            guard s.phase == .running || s.phase == .starting else { return [] }
            s.phase = .draining
            s.sweeper?.cancel()
            return s.acceptors
        }
        acceptors.forEach { $0.stop() }
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
        loop.stop()
        logger.info("shutdown.drained")
    }

    /// Gives clients a bounded time to read their last frames; a connection closes once its output is written.
    private func waitForConnectionsToFlush(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while connectionCount > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        let unflushed = state.withLock { Array($0.connections.values) }
        guard !unflushed.isEmpty else { return }
        logger.warn("shutdown.unflushed", ["connections": String(unflushed.count)])
        unflushed.forEach { $0.close(reason: "shutdown") }
        // Their descriptors are released on the loop, which must still run for that.
        while connectionCount > 0, ContinuousClock.now < deadline + .seconds(1) {
            try? await Task.sleep(for: .milliseconds(10))
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
