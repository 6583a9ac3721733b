@preconcurrency import Dispatch
import SidecarEventLoop
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Accepts one listener's connections on the server's event loop.
///
/// When the process (or the system) is out of descriptors, `accept` fails while the listening socket stays
/// readable: accepting on would spin a core and flood the log. Instead the acceptor stops watching the socket
/// for a backoff that doubles from 10 ms to 1 s while the shortage lasts, and logs at most once per 10 s with
/// the number of failures. Clients meanwhile wait in the listen backlog; none is refused for it.
final class Acceptor: EventHandler, @unchecked Sendable {
    let listener: UnixListener
    private weak var server: Server?
    private let loop: EventLoop
    private let timerQueue = DispatchQueue(label: "sidecar.accept.backoff")
    private let state = Mutex(State())

    private struct State {
        var registration: EventLoop.Registration?
        var stopped = false
        var backoff: Duration = .zero
        var shortage = LogThrottle(interval: .seconds(10))
    }

    /// Accepted per turn of the loop at most, so a connection storm cannot hold the loop.
    private static let batch = 64
    private static let maxBackoff: Duration = .seconds(1)

    init(listener: UnixListener, server: Server) {
        self.listener = listener
        self.server = server
        self.loop = server.loop
    }

    func start() throws(EventLoopError) {
        let registration = try loop.register(listener.fd, interest: .readable, handler: self)
        state.withLock { $0.registration = registration }
    }

    public func ready(_ readiness: Readiness) {
        for _ in 0..<Self.batch {
            let fd = accept(listener.fd, nil, nil)
            if fd >= 0 {
                // Glibc does not export accept4 (it needs _GNU_SOURCE): set the flags separately.
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                state.withLock { $0.backoff = .zero }
                server?.adopt(fd, from: listener)
                continue
            }
            switch errno {
            case EINTR, ECONNABORTED: continue
            case EMFILE, ENFILE, ENOBUFS, ENOMEM: backOff(errno: errno)
            default: break
            }
            return
        }
    }

    private func backOff(errno code: Int32) {
        let paused: (Duration, Int?)? = state.withLock { s in
            guard !s.stopped, let registration = s.registration else { return nil }
            s.backoff = min(Self.maxBackoff, max(.milliseconds(10), s.backoff * 2))
            loop.update(registration, interest: [])
            return (s.backoff, s.shortage.count())
        }
        guard let (delay, failures) = paused else { return }
        if let failures {
            server?.logger.error(
                "accept.out_of_descriptors",
                [
                    "socket": listener.path, "reason": String(cString: strerror(code)), "failures": String(failures),
                    "retry_ms": String(
                        delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000),
                ])
        }
        timerQueue.asyncAfter(
            deadline: .now()
                + .nanoseconds(
                    Int(delay.components.attoseconds / 1_000_000_000)
                        + Int(delay.components.seconds) * 1_000_000_000)
        ) { [self] in
            state.withLock { s in
                guard !s.stopped, let registration = s.registration else { return }
                loop.update(registration, interest: .readable)
            }
        }
    }

    /// Stops accepting, removes the socket file, and closes the socket on the loop's thread.
    func stop() {
        let registration = state.withLock { s in
            s.stopped = true
            defer { s.registration = nil }
            return s.registration
        }
        if let registration { loop.deregister(registration) }
        listener.removeFile()
        loop.execute { [listener] in listener.closeSocket() }
    }
}
