import Foundation

/// The simulator's request log, with ways to wait for it to reach a state instead of sleeping.
final class RequestLog: Sendable {
    private struct Waiter {
        let predicate: @Sendable ([RecordedRequest]) -> Bool
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var entries: [RecordedRequest] = []
        var waiters: [Int: Waiter] = [:]
        var subscribers: [Int: AsyncStream<RecordedRequest>.Continuation] = [:]
        var nextToken = 1
    }

    private let state = Locked(State())

    var entries: [RecordedRequest] {
        state.withLock { $0.entries }
    }

    func append(_ entry: RecordedRequest) {
        publish { state in
            state.entries.append(entry)
            return entry
        }
    }

    /// Sets the outcome of request `id` unless it already has a final one (or the log was reset since).
    func finish(_ id: Int, _ outcome: Outcome) {
        publish { state in
            guard let index = state.entries.lastIndex(where: { $0.id == id }),
                state.entries[index].outcome == .inProgress
            else { return nil }
            state.entries[index].outcome = outcome
            return state.entries[index]
        }
    }

    func reset() {
        state.withLock { $0.entries.removeAll() }
    }

    /// Every change to an entry from now on (appends and outcome changes), until the stream is dropped.
    func changes() -> AsyncStream<RecordedRequest> {
        let (stream, continuation) = AsyncStream<RecordedRequest>.makeStream()
        let token = state.withLock { state in
            defer { state.nextToken += 1 }
            state.subscribers[state.nextToken] = continuation
            return state.nextToken
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: token) }
        }
        return stream
    }

    /// Returns true as soon as `predicate` holds for the log, false if `timeout` passes first.
    func wait(timeout: Duration, until predicate: @escaping @Sendable ([RecordedRequest]) -> Bool) async -> Bool {
        let token = state.withLock { state in
            defer { state.nextToken += 1 }
            return state.nextToken
        }
        let timer = Locked<Task<Void, Never>?>(nil)
        defer { timer.withLock { $0?.cancel() } }
        return await withCheckedContinuation { continuation in
            let satisfied = state.withLock { state in
                if predicate(state.entries) { return true }
                state.waiters[token] = Waiter(predicate: predicate, continuation: continuation)
                return false
            }
            if satisfied {
                continuation.resume(returning: true)
                return
            }
            let task = Task { [weak self] in
                try? await Task.sleep(for: timeout)
                self?.expire(token)
            }
            timer.withLock { $0 = task }
        }
    }

    private func expire(_ token: Int) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: token) }
        waiter?.continuation.resume(returning: false)
    }

    /// Applies a change, then wakes the waiters it satisfies and tells the subscribers, outside the lock.
    private func publish(_ change: (inout State) -> RecordedRequest?) {
        let (changed, woken, subscribers) = state.withLock {
            state -> (RecordedRequest?, [Waiter], [AsyncStream<RecordedRequest>.Continuation]) in
            guard let changed = change(&state) else { return (nil, [], []) }
            var woken: [Waiter] = []
            for (token, waiter) in state.waiters where waiter.predicate(state.entries) {
                woken.append(waiter)
                state.waiters.removeValue(forKey: token)
            }
            return (changed, woken, Array(state.subscribers.values))
        }
        for waiter in woken { waiter.continuation.resume(returning: true) }
        if let changed {
            for subscriber in subscribers { subscriber.yield(changed) }
        }
    }
}
