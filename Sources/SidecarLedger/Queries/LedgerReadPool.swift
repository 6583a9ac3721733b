import Dispatch
import Foundation
import Synchronization

/// A few dedicated threads that run ledger queries, each on its own read-only connection.
///
/// A `usage` query over a large ledger is hundreds of milliseconds of synchronous SQLite. Run on Swift's
/// cooperative pool (one thread per core), a handful of them would hold every thread and stall every
/// completion's streaming; here they block only these threads. Jobs wait in one FIFO queue bounded by
/// `capacity`: beyond it a job fails at once with `readersBusy`, so a flood of queries is refused instead of
/// growing a backlog that would answer minutes late.
final class LedgerReadPool: Sendable {
    /// One query: receives a reader, or the reason none will come (`readersBusy`, `closed`).
    typealias Job = @Sendable (Result<LedgerReader, LedgerError>) -> Void

    private struct State {
        var jobs: [Job] = []
        var closing = false
    }

    private let path: String
    private let capacity: Int
    private let state = Mutex(State())
    private let jobsWaiting = DispatchSemaphore(value: 0)
    private let threadsStopped = DispatchSemaphore(value: 0)
    private let threadCount: Int

    /// Starts one thread per reader; each owns its reader from now on and closes it when the pool closes.
    init(path: String, readers: [LedgerReader], capacity: Int) {
        self.path = path
        self.capacity = capacity
        threadCount = readers.count
        for (n, reader) in readers.enumerated() {
            let thread = Thread { [self] in self.run(reader) }
            thread.name = "ledger-reader-\(n)"
            thread.start()
        }
    }

    /// Queues `job` for the next free reader thread, or calls it at once with `readersBusy` when `capacity`
    /// jobs are already waiting, or with `closed` after `close()`.
    func submit(_ job: @escaping Job) {
        let refusal = state.withLock { s -> LedgerError? in
            if s.closing { return .closed(path: path) }
            if s.jobs.count >= capacity { return .readersBusy(path: path, waiting: s.jobs.count) }
            s.jobs.append(job)
            return nil
        }
        if let refusal { return job(.failure(refusal)) }
        jobsWaiting.signal()
    }

    /// Fails the jobs still waiting with `closed`, lets running ones finish, and waits for the threads to
    /// close their connections. Idempotent.
    func close() {
        let abandoned = state.withLock { s -> [Job]? in
            if s.closing { return nil }
            s.closing = true
            defer { s.jobs.removeAll() }
            return s.jobs
        }
        guard let abandoned else { return }
        for job in abandoned { job(.failure(.closed(path: path))) }
        for _ in 0..<threadCount { jobsWaiting.signal() }
        for _ in 0..<threadCount { threadsStopped.wait() }
    }

    private func run(_ reader: LedgerReader) {
        BackgroundPriority.lowerCurrentThread()
        while true {
            jobsWaiting.wait()
            let job = state.withLock { s -> Job? in s.jobs.isEmpty ? nil : s.jobs.removeFirst() }
            if let job {
                job(.success(reader))
            } else if state.withLock({ $0.closing }) {
                reader.close()
                threadsStopped.signal()
                return
            }
        }
    }
}
