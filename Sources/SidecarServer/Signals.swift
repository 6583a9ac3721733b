@preconcurrency import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Catches termination signals so the process survives to drain.
///
/// A plain C handler is installed synchronously (a Dispatch signal source registers asynchronously, and a
/// signal arriving before it is registered would be lost); the handler only writes the signal number to a
/// pipe, which is async-signal-safe, and a Dispatch read source on the pipe wakes the waiter. Create the
/// watcher before the listeners open, so a SIGTERM sent the moment the socket appears is never lost.
public final class SignalWatcher: Sendable {
    private let record = SignalRecord()
    private let source: DispatchSourceRead?

    public init(signals: [Int32] = [SIGTERM, SIGINT]) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            source = nil
            return
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        signalPipe.store(fds[1], ordering: .sequentiallyConsistent)
        let record = self.record
        let readEnd = fds[0]
        let source = DispatchSource.makeReadSource(fileDescriptor: readEnd, queue: DispatchQueue(label: "sidecar.signals"))
        source.setEventHandler {
            var number: UInt8 = 0
            while read(readEnd, &number, 1) == 1 { record.fire(Int32(number)) }
        }
        source.resume()
        self.source = source
        for number in signals { signal(number, forwardSignalToPipe) }
    }

    /// The first signal caught, waiting for one if none has arrived yet.
    public func wait() async -> Int32 { await record.wait() }

    deinit { source?.cancel() }
}

/// The pipe's write end, for the C signal handler (which cannot capture context).
private let signalPipe = Atomic<Int32>(-1)

private let forwardSignalToPipe: @convention(c) (Int32) -> Void = { number in
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(signalPipe.load(ordering: .relaxed), &byte, 1)
}

/// The first signal received, and whoever waits for it.
private final class SignalRecord: Sendable {
    private struct State {
        var received: Int32?
        var waiters: [CheckedContinuation<Int32, Never>] = []
    }

    private let state = Mutex(State())

    func fire(_ number: Int32) {
        let waiters = state.withLock { s -> [CheckedContinuation<Int32, Never>] in
            if s.received == nil { s.received = number }
            defer { s.waiters = [] }
            return s.waiters
        }
        waiters.forEach { $0.resume(returning: number) }
    }

    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let received = state.withLock { s -> Int32? in
                if s.received == nil { s.waiters.append(continuation) }
                return s.received
            }
            if let received { continuation.resume(returning: received) }
        }
    }
}
