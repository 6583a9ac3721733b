@preconcurrency import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Waits for a termination signal through Dispatch signal sources (the default handlers are disabled first,
/// so the process survives to drain).
public enum Signals {
    /// Returns the first of `signals` delivered to the process.
    public static func wait(for signals: [Int32] = [SIGTERM, SIGINT]) async -> Int32 {
        let queue = DispatchQueue(label: "sidecar.signals")
        return await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let once = SignalOnce(continuation)
            let sources = signals.map { number -> DispatchSourceSignal in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { once.fire(number) }
                source.resume()
                return source
            }
            once.keep(sources)
        }
    }
}

/// Resumes the waiter on the first signal only; keeps the sources alive until then.
private final class SignalOnce: @unchecked Sendable {
    private var continuation: CheckedContinuation<Int32, Never>?
    private var sources: [DispatchSourceSignal] = []
    private let lock = DispatchQueue(label: "sidecar.signals.once")

    init(_ continuation: CheckedContinuation<Int32, Never>) { self.continuation = continuation }

    func keep(_ sources: [DispatchSourceSignal]) { lock.sync { self.sources = sources } }

    func fire(_ number: Int32) {
        let waiter = lock.sync { () -> CheckedContinuation<Int32, Never>? in
            defer { continuation = nil }
            return continuation
        }
        waiter?.resume(returning: number)
    }
}
