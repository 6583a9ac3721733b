@preconcurrency import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Catches termination signals through Dispatch signal sources, so the process survives to drain.
///
/// Create it before the listeners open: from then on a SIGTERM is recorded even if nobody waits yet, so a
/// signal sent the moment the socket appears is never lost.
public final class SignalWatcher: Sendable {
    private let record = SignalRecord()
    private let sources: [DispatchSourceSignal]

    public init(signals: [Int32] = [SIGTERM, SIGINT]) {
        let queue = DispatchQueue(label: "sidecar.signals")
        let record = self.record
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { record.fire(number) }
            source.resume()
            return source
        }
    }

    /// The first signal caught, waiting for one if none has arrived yet.
    public func wait() async -> Int32 { await record.wait() }

    deinit { sources.forEach { $0.cancel() } }
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
