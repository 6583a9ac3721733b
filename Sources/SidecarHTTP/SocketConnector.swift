@preconcurrency import Dispatch
import Glibc
import Synchronization

/// Opens TCP connections without blocking a thread: resolves the host, then tries its addresses in order
/// with non-blocking `connect`, waiting for each on a Dispatch write source.
///
/// Host names are resolved with `getaddrinfo`, which blocks the calling thread: instant for IP literals and
/// `/etc/hosts` names such as `localhost` (the local servers this transport is for), a DNS round trip
/// otherwise. Only new connections resolve; pooled ones are reused without it.
enum SocketConnector {
    /// The earliest limit running during the connect, with the name reported when it expires.
    struct Deadline {
        let at: UInt64
        let name: String
    }

    /// A connected, non-blocking, close-on-exec socket with `TCP_NODELAY`.
    static func connect(host: String, port: Int, deadline: Deadline?, queue: DispatchQueue) async throws -> Int32 {
        let addresses = try resolve(host: host, port: port)
        var lastError = HTTPTransportError.connectionFailed("host name not resolved")
        for address in addresses {
            if Task.isCancelled { throw HTTPTransportError.cancelled }
            do {
                return try await attempt(address, deadline: deadline, queue: queue)
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

    private static func attempt(_ address: Address, deadline: Deadline?, queue: DispatchQueue) async throws -> Int32 {
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
            try await ConnectWait(fd: fd, deadline: deadline, queue: queue).wait()
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
/// resumed from the write source's cancel handler, so the caller never closes the descriptor while
/// Dispatch still watches it.
private final class ConnectWait: Sendable {
    private let fd: Int32
    private let source: DispatchSourceWrite
    private let timer: DispatchSourceTimer?
    private let deadlineName: String
    private let state = Mutex(State())

    private struct State {
        var continuation: CheckedContinuation<Void, Error>?
        var result: Result<Void, HTTPTransportError>?
        var sourceCancelled = false
    }

    init(fd: Int32, deadline: SocketConnector.Deadline?, queue: DispatchQueue) {
        self.fd = fd
        source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
        deadlineName = deadline?.name ?? "connect"
        timer = deadline.map { deadline in
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: DispatchTime(uptimeNanoseconds: deadline.at), leeway: .milliseconds(1))
            return timer
        }
    }

    func wait() async throws {
        source.setEventHandler { [self] in writable() }
        source.setCancelHandler { [self] in sourceDidCancel() }
        timer?.setEventHandler { [self] in finish(.failure(.timedOut(deadlineName))) }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                // The cancel handler, which resumes, cannot run before `activate`, even if cancelled already.
                state.withLock { $0.continuation = continuation }
                source.activate()
                timer?.activate()
            }
        } onCancel: {
            finish(.failure(.cancelled))
        }
    }

    private func writable() {
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) != 0 { code = errno }
        finish(code == 0 ? .success(()) : .failure(SocketConnector.failure(code)))
    }

    /// Records the first result and cancels the source; the cancel handler hands the result over.
    private func finish(_ result: Result<Void, HTTPTransportError>) {
        let first: Bool = state.withLock { state in
            guard state.result == nil else { return false }
            state.result = result
            return true
        }
        guard first else { return }
        timer?.cancel()
        source.cancel()
    }

    private func sourceDidCancel() {
        let resume: (CheckedContinuation<Void, Error>, Result<Void, HTTPTransportError>)? = state.withLock { state in
            state.sourceCancelled = true
            guard let continuation = state.continuation, let result = state.result else { return nil }
            state.continuation = nil
            return (continuation, result)
        }
        if let (continuation, result) = resume { continuation.resume(with: result.mapError { $0 as Error }) }
    }
}
