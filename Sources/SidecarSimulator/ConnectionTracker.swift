import Foundation
import Glibc

/// Owns the listening socket and the open connections, each served on its own thread, so `stop` can shut
/// them all down. A thread per connection is fine for a test server: blocking I/O keeps the code plain, and
/// 500 concurrent streams are 500 mostly sleeping threads.
final class ConnectionTracker: Sendable {
    private struct State {
        var listenFD: Int32?
        var connections: [Int: Int32] = [:]
        var nextConnectionID = 1
        var started = false
        var stopping = false
    }

    private let state = Locked(State())

    /// Starts the accept loop on `listener`; false if the tracker was already started or stopped.
    func start(_ listener: ListeningSocket, core: SimulatorCore) -> Bool {
        let claimed = state.withLock { state in
            guard !state.started, !state.stopping else { return false }
            state.started = true
            state.listenFD = listener.fd
            return true
        }
        guard claimed else { return false }
        let thread = Thread { [self] in
            while let fd = listener.accept() {
                guard let id = register(fd) else {
                    close(fd)
                    break
                }
                serve(fd, id: id, core: core)
            }
            // Forget the listener before closing it, so `stop` never shuts down a reused descriptor.
            state.withLock { $0.listenFD = nil }
            close(listener.fd)
        }
        thread.name = "sim-upstream accept"
        thread.start()
        return true
    }

    /// Shuts down the listener and every open connection; their threads then end on their own.
    func stop() {
        state.withLock { state in
            guard !state.stopping else { return }
            state.stopping = true
            if let fd = state.listenFD { shutdown(fd, Int32(SHUT_RDWR)) }
            for fd in state.connections.values { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    private func serve(_ fd: Int32, id: Int, core: SimulatorCore) {
        let thread = Thread { [self] in
            ConnectionHandler(core: core, socket: ClientSocket(fd: fd), connectionID: id).run()
            // Forget the fd before closing it, so `stop` never shuts down a reused descriptor.
            state.withLock { _ = $0.connections.removeValue(forKey: id) }
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
        thread.stackSize = 512 * 1024
        thread.start()
    }

    private func register(_ fd: Int32) -> Int? {
        state.withLock { state in
            guard !state.stopping else { return nil }
            defer { state.nextConnectionID += 1 }
            state.connections[state.nextConnectionID] = fd
            return state.nextConnectionID
        }
    }
}
