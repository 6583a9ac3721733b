@preconcurrency import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Catches signals so the process survives them: termination signals to drain, SIGHUP to go on serving.
///
/// A plain C handler is installed synchronously (a Dispatch signal source registers asynchronously, and a
/// signal arriving before it is registered would be lost); the handler only writes the signal number to a
/// pipe, which is async-signal-safe, and a Dispatch read source on the pipe wakes the waiter. Create the
/// watcher before the listeners open, so a SIGTERM sent the moment the socket appears is never lost.
public final class SignalWatcher: Sendable {
    private let record = SignalRecord()
    private let source: DispatchSourceRead?

    public init(signals: [Int32] = [SIGTERM, SIGINT, SIGHUP]) {
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
        let source = DispatchSource.makeReadSource(
            fileDescriptor: readEnd, queue: DispatchQueue(label: "sidecar.signals"))
        source.setEventHandler {
            var number: UInt8 = 0
            while read(readEnd, &number, 1) == 1 { record.fire(Int32(number)) }
        }
        source.resume()
        self.source = source
        for number in signals { signal(number, forwardSignalToPipe) }
    }

    /// The next signal caught, in the order they arrived, waiting for one if none is pending.
    public func next() async -> Int32 { await record.next() }

    deinit { source?.cancel() }
}

/// The pipe's write end, for the C signal handler (which cannot capture context).
private let signalPipe = Atomic<Int32>(-1)

private let forwardSignalToPipe: @convention(c) (Int32) -> Void = { number in
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(signalPipe.load(ordering: .relaxed), &byte, 1)
}

/// Signals received and not yet taken, and whoever waits for the next one.
private final class SignalRecord: Sendable {
    private struct State {
        var received: [Int32] = []
        var waiters: [CheckedContinuation<Int32, Never>] = []
    }

    private let state = Mutex(State())

    func fire(_ number: Int32) {
        let waiter = state.withLock { s -> CheckedContinuation<Int32, Never>? in
            guard !s.waiters.isEmpty else {
                s.received.append(number)
                return nil
            }
            return s.waiters.removeFirst()
        }
        waiter?.resume(returning: number)
    }

    func next() async -> Int32 {
        await withCheckedContinuation { continuation in
            let received = state.withLock { s -> Int32? in
                guard !s.received.isEmpty else {
                    s.waiters.append(continuation)
                    return nil
                }
                return s.received.removeFirst()
            }
            if let received { continuation.resume(returning: received) }
        }
    }
}
