import SidecarProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Scenario `idle`: many connections opened and left silent; the first and the last must still answer a
/// ping, and the sidecar must report holding all of them. The descriptor limit is raised before the spawn
/// (the sidecar inherits it).
struct IdleConnectionsScenario {
    let count: Int

    func run() throws -> ScenarioResult {
        var result = ScenarioResult(.idle)
        let limit = try Self.raiseDescriptorLimit(to: UInt(count) + 1000)
        let sidecar = try BenchConfig(upstreamPort: 9, maxConnections: max(10_500, count + 100)).spawn()
        defer { sidecar.stop() }
        try sidecar.waitUntilListening()
        let rssBefore = sidecar.memory().rss

        let start = Monotonic.now()
        var connections: [UnixConnection] = []
        connections.reserveCapacity(count)
        for _ in 0..<count { connections.append(try UnixConnection(path: sidecar.socketPath)) }
        guard let first = connections.first, let last = connections.last else { throw BenchError("no connections") }
        let lastAnswered = try Self.ping(last)
        let opened = Double(Monotonic.now() - start) / 1e9
        let firstAnswered = try Self.ping(first)
        let status = try Self.status(first)
        let held = status["report"]?["sidecar"]?["connections"]?.intValue ?? -1
        let memory = sidecar.memory()
        connections.removeAll()

        result.add(
            "connections held (sidecar status)", Double(held), "of \(count)", target: ">= \(count)",
            met: held >= count)
        result.add(
            "first and last answer a ping", firstAnswered && lastAnswered ? 1 : 0, "", target: "1",
            met: firstAnswered && lastAnswered)
        result.add("time to open all", opened, "s")
        result.add("RSS before", rssBefore / 1e6, "MB")
        result.add("RSS holding them", memory.rss / 1e6, "MB")
        result.add("RSS per connection", (memory.rss - rssBefore) / Double(count), "B")
        result.add("peak RSS (VmHWM)", memory.peak / 1e6, "MB")
        result.notes.append("\(count) connections opened one by one from one thread; RLIMIT_NOFILE \(limit)")
        return result
    }

    private static func ping(_ connection: UnixConnection) throws -> Bool {
        try connection.send(connection.encode(["type": "ping", "id": "idle"]))
        return try connection.nextMessage()["type"] == "pong"
    }

    private static func status(_ connection: UnixConnection) throws -> JSONValue {
        try connection.send(connection.encode(["type": "status", "id": "st"]))
        return try connection.nextMessage()
    }

    /// Raises the soft RLIMIT_NOFILE to `needed` when it is lower; fails when the hard limit is lower.
    private static func raiseDescriptorLimit(to needed: UInt) throws -> UInt {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
            throw BenchError("getrlimit: \(String(cString: strerror(errno)))")
        }
        guard limit.rlim_max >= rlim_t(needed) else {
            throw BenchError("RLIMIT_NOFILE hard limit \(limit.rlim_max) is below \(needed); raise it (ulimit -Hn)")
        }
        if limit.rlim_cur < needed {
            limit.rlim_cur = rlim_t(needed)
            guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
                throw BenchError("setrlimit: \(String(cString: strerror(errno)))")
            }
        }
        return UInt(limit.rlim_cur)
    }
}
