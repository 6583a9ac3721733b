@preconcurrency import Dispatch
import Glibc
import SidecarEventLoop
import Synchronization

/// Opens TCP connections without blocking a thread: resolves the host, then tries its addresses in order
/// with non-blocking `connect`, waiting for each on the transport's event loop.
///
/// Host names are resolved with `getaddrinfo`, which blocks the calling thread: instant for IP literals and
/// `/etc/hosts` names such as `localhost` (the local servers this transport is for), a DNS round trip
/// otherwise. Only new connections resolve; pooled ones are reused without it.
enum SocketConnector {
    /// A connected, non-blocking, close-on-exec socket with `TCP_NODELAY`; fails with `timedOut` at
    /// `deadline`, the earliest limit running while connecting.
    static func connect(
        host: String, port: Int, deadline: ExchangeDeadlines.Deadline?, loop: EventLoop, timerQueue: DispatchQueue
    ) async throws -> Int32 {
        let addresses = try resolve(host: host, port: port)
        var lastError = HTTPTransportError.connectionFailed("host name not resolved")
        for address in addresses {
            if Task.isCancelled { throw HTTPTransportError.cancelled }
            do {
                return try await attempt(address, deadline: deadline, loop: loop, timerQueue: timerQueue)
            } catch let error as HTTPTransportError {
                guard case .connectionFailed = error else { throw error }
                lastError = error
            }
        }
        throw lastError
    }

    private struct Address {
        var storage = sockaddr_storage()
        var length: socklen_t
        var family: Int32
    }

    private static func resolve(host: String, port: Int) throws(HTTPTransportError) -> [Address] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .connectionFailed("host name not resolved (getaddrinfo error \(status))")
        }
        defer { freeaddrinfo(first) }
        var addresses: [Address] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            let length = Int(info.pointee.ai_addrlen)
            if let address = info.pointee.ai_addr, length <= MemoryLayout<sockaddr_storage>.size {
                var resolved = Address(length: info.pointee.ai_addrlen, family: info.pointee.ai_family)
                withUnsafeMutableBytes(of: &resolved.storage) { target in
                    target.copyMemory(from: UnsafeRawBufferPointer(start: address, count: length))
                }
                addresses.append(resolved)
            }
            entry = info.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw .connectionFailed("host name not resolved (no address)") }
        return addresses
    }

    private static func attempt(
        _ address: Address, deadline: ExchangeDeadlines.Deadline?, loop: EventLoop, timerQueue: DispatchQueue
    ) async throws -> Int32 {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(address.family, type, 0)
        guard fd >= 0 else { throw HTTPTransportError.connectionFailed("cannot create a socket (errno \(errno))") }
        var noDelay: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var storage = address.storage
        let result = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) }
        }
        if result == 0 { return fd }
        let code = errno
        guard code == EINPROGRESS || code == EINTR else {
            Glibc.close(fd)
            throw failure(code)
        }
        do {
            try await ConnectWait(fd: fd, deadline: deadline, loop: loop, timerQueue: timerQueue).wait()
            return fd
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    static func failure(_ code: Int32) -> HTTPTransportError {
        switch code {
        case ECONNREFUSED: .connectionFailed("connection refused")
        case ENETUNREACH, EHOSTUNREACH: .connectionFailed("host unreachable (errno \(code))")
        case ETIMEDOUT: .connectionFailed("the system gave up connecting (errno \(code))")
        default: .connectionFailed("connect failed (errno \(code))")
        }
    }
}

/// Waits for one non-blocking `connect` to finish, be cancelled or run out of time. The continuation is
/// resumed on the loop's thread after the descriptor left the loop, so when the caller closes it no handler
/// can still be looking at it.
private final class ConnectWait: EventHandler, Sendable {
    private let fd: Int32
    private let loop: EventLoop
    private let deadline: ExchangeDeadlines.Deadline?
    private let timerQueue: DispatchQueue
    private let state = Mutex(State())

    private struct State {
        var continuation: CheckedContinuation<Void, Error>?
        var registration: EventLoop.Registration?
        /// Made and started only once the socket is watched, so none is ever left inactive.
        var timer: DispatchSourceTimer?
        var result: Result<Void, HTTPTransportError>?
    }

    init(fd: Int32, deadline: ExchangeDeadlines.Deadline?, loop: EventLoop, timerQueue: DispatchQueue) {
        self.fd = fd
        self.loop = loop
        self.deadline = deadline
        self.timerQueue = timerQueue
    }

    func wait() async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                let refused: HTTPTransportError? = state.withLock { state in
                    if case .failure(let error) = state.result { return error }
                    do {
                        state.registration = try loop.register(fd, interest: .writable, handler: self)
                    } catch {
                        return .connectionFailed("cannot watch the socket: \(error)")
                    }
                    state.continuation = continuation
                    if let deadline {
                        let timer = DispatchSource.makeTimerSource(queue: timerQueue)
                        timer.schedule(deadline: DispatchTime(uptimeNanoseconds: deadline.at), leeway: .milliseconds(1))
                        timer.setEventHandler { [self] in finish(.failure(.timedOut(deadline.name))) }
                        timer.activate()
                        state.timer = timer
                    }
                    return nil
                }
                if let refused { continuation.resume(throwing: refused) }
            }
        } onCancel: {
            finish(.failure(.cancelled))
        }
    }

    func ready(_ readiness: Readiness) {
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) != 0 { code = errno }
        finish(code == 0 ? .success(()) : .failure(SocketConnector.failure(code)))
    }

    /// Records the first result, takes the descriptor out of the loop, and resumes the waiter on the loop.
    private func finish(_ result: Result<Void, HTTPTransportError>) {
        let taken: (CheckedContinuation<Void, Error>?, EventLoop.Registration?, DispatchSourceTimer?)? =
            state.withLock { state in
                guard state.result == nil else { return nil }
                state.result = result
                defer {
                    state.continuation = nil
                    state.registration = nil
                    state.timer = nil
                }
                return (state.continuation, state.registration, state.timer)
            }
        guard let (continuation, registration, timer) = taken else { return }
        timer?.cancel()
        if let registration { loop.deregister(registration) }
        guard let continuation else { return }
        loop.execute { continuation.resume(with: result.mapError { $0 as Error }) }
    }
}
