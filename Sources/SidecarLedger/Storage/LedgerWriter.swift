import Dispatch
import Foundation
import Glibc
import Synchronization

/// The ledger's writer thread with group commit.
///
/// `enqueue` appends a row to a queue and wakes the thread if it sleeps. The thread takes *everything*
/// queued, writes it in one transaction, then resumes every waiting caller with the result. Rows that
/// arrive while a commit (and its fsync) runs wait for the next transaction, so under load one fsync
/// covers many rows and throughput is not capped by the disk's sync rate; when idle a row is committed
/// alone, at once. A dedicated thread (not a Dispatch worker, not the caller) keeps the blocking
/// fsync away from the socket event loop and the cooperative pool.
///
/// Before each batch (and each recovery probe) the thread checks that the path still names the file it
/// writes (`LedgerFileIdentity`); a deleted or replaced file fails the batch like a full disk does.
final class LedgerWriter: Sendable {
    typealias Completion = @Sendable (Result<Void, LedgerError>) -> Void

    private struct State {
        var queue: [(row: LedgerRow, done: Completion)] = []
        var sleeping = false
        var closing = false
        var health = LedgerHealth.ok
        var writerThread: pthread_t?
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let path: String
    private let log: @Sendable (String) -> Void
    private let probeInterval: Double
    private let identity: LedgerFileIdentity

    /// Starts the writer thread, which owns `db` from now on.
    init(
        db: SQLiteDatabase, path: String, identity: LedgerFileIdentity, probeInterval: Double,
        log: @escaping @Sendable (String) -> Void
    ) {
        self.path = path
        self.identity = identity
        self.log = log
        self.probeInterval = probeInterval
        let thread = Thread { [self] in
            self.state.withLock { $0.writerThread = pthread_self() }
            self.run(db)
        }
        thread.name = "ledger-writer"
        thread.start()
    }

    /// The last write's outcome, or failing at once when the file was deleted or replaced since.
    var health: LedgerHealth {
        if let problem = identity.problem(at: path) { report(.failure(.fileGone(path: path, detail: problem))) }
        return state.withLock { $0.health }
    }

    /// Queues `row`; `done` runs on the writer thread after the row's transaction committed or failed.
    func enqueue(_ row: LedgerRow, done: @escaping Completion) {
        let (accepted, signal) = state.withLock { s -> (Bool, Bool) in
            if s.closing { return (false, false) }
            s.queue.append((row, done))
            let signal = s.sleeping
            s.sleeping = false
            return (true, signal)
        }
        if !accepted { return done(.failure(.closed(path: path))) }
        if signal { wake.signal() }
    }

    /// Commits what is queued, stops the thread and waits for it (unless called on the writer thread
    /// itself, from a completion that dropped the last reference to the ledger). Idempotent.
    func close() {
        let (first, signal, onWriter) = state.withLock { s -> (Bool, Bool, Bool) in
            let onWriter = s.writerThread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
            if s.closing { return (false, false, onWriter) }
            s.closing = true
            let signal = s.sleeping
            s.sleeping = false
            return (true, signal, onWriter)
        }
        guard first else { return }
        if signal { wake.signal() }
        if !onWriter { finished.wait() }
    }

    private enum Next {
        case batch([(row: LedgerRow, done: Completion)])
        case sleep(probe: Bool)
        case stop
    }

    private func run(_ db: SQLiteDatabase) {
        let batch = BatchWriter(db: db)
        while true {
            let next = state.withLock { s -> Next in
                if !s.queue.isEmpty {
                    defer { s.queue.removeAll(keepingCapacity: true) }
                    return .batch(s.queue)
                }
                if s.closing { return .stop }
                s.sleeping = true
                return .sleep(probe: !s.health.isOK)
            }
            switch next {
            case .batch(let items):
                let outcome = checked { batch.commit(items.map(\.row)) }
                report(outcome)
                for item in items { item.done(outcome) }
            case .sleep(let probe):
                if !probe {
                    wake.wait()
                } else if wake.wait(timeout: .now() + probeInterval) == .timedOut {
                    state.withLock { $0.sleeping = false }
                    report(checked { batch.probe() })
                }
            case .stop:
                batch.close()
                finished.signal()
                return
            }
        }
    }

    /// Runs `write` if the path still names the opened file, else fails with `fileGone` without writing.
    private func checked(_ write: () -> Result<Void, SQLiteError>) -> Result<Void, LedgerError> {
        if let problem = identity.problem(at: path) { return .failure(.fileGone(path: path, detail: problem)) }
        return write().mapError { LedgerError.writeFailed(path: path, detail: $0.description) }
    }

    /// Updates `health` and logs transitions loudly: the first failure, and the recovery.
    private func report(_ result: Result<Void, LedgerError>) {
        let now = Date()
        let previous = state.withLock { s -> LedgerHealth in
            let previous = s.health
            switch result {
            case .success: s.health = .ok
            case .failure(let error):
                if case .failing(_, let since) = previous {
                    s.health = .failing(message: error.healthMessage, since: since)
                } else {
                    s.health = .failing(message: error.healthMessage, since: now)
                }
            }
            return previous
        }
        switch (previous, result) {
        case (.ok, .failure(let error)):
            log(
                "LEDGER WRITE FAILED for \(path): \(error.healthMessage); usage is not being recorded, "
                    + "new requests are refused until a write succeeds")
        case (.failing, .success):
            log("ledger \(path) is writable again; accepting requests")
        default:
            break
        }
    }
}

extension LedgerError {
    /// The short reason `health` shows: SQLite's message for a failed write, what became of the file for a
    /// deleted or replaced one.
    fileprivate var healthMessage: String {
        switch self {
        case .writeFailed(_, let detail): return detail
        case .fileGone(_, let detail): return "the ledger file \(detail)"
        default: return description
        }
    }
}
