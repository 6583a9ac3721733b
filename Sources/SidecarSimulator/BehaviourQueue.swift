/// Behaviours queued for the next requests, FIFO, each limited to a set of endpoints.
final class BehaviourQueue: Sendable {
    private struct Entry {
        var behaviour: Behaviour
        var remaining: Int
        var endpoints: Set<Endpoint>
    }

    private let entries = Locked([Entry]())

    func enqueue(_ behaviour: Behaviour, count: Int, endpoints: Set<Endpoint>) {
        guard count > 0 else { return }
        entries.withLock { $0.append(Entry(behaviour: behaviour, remaining: count, endpoints: endpoints)) }
    }

    /// Takes the first queued behaviour that applies to `endpoint`, if any.
    func next(for endpoint: Endpoint) -> Behaviour? {
        entries.withLock { entries in
            guard let index = entries.firstIndex(where: { $0.endpoints.contains(endpoint) }) else { return nil }
            let behaviour = entries[index].behaviour
            entries[index].remaining -= 1
            if entries[index].remaining == 0 { entries.remove(at: index) }
            return behaviour
        }
    }

    func reset() {
        entries.withLock { $0.removeAll() }
    }
}
